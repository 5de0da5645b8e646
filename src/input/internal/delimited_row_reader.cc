#include "input/internal/delimited_row_reader.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "input/internal/frame_builder.h"
#include "input/internal/line_reader.h"
#include "input/internal/row_reader_base.h"

namespace strata::input::internal {
namespace {

using types::ColumnType;

constexpr size_t kChunkBytes = 1 << 20;

std::string_view StripCarriageReturn(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

class DelimitedRowReader final : public RowReaderBase {
 public:
  DelimitedRowReader(const InputFormatSpec& format, const std::vector<InputColumn>& signature,
                     std::unique_ptr<io::InputStream> stream, std::string uri, ParseErrorHandler on_error)
      : RowReaderBase(signature, std::move(stream), std::move(uri), std::move(on_error)),
        lines_(stream_.get(), kChunkBytes, 0),
        csv_(format.type == "csv"),
        delimiter_(csv_ ? std::string(",") : format.delimiter),
        list_delimiter_(format.list_delimiter),
        skip_header_rows_(format.skip_header_rows),
        find_columns_from_header_(format.find_columns_from_header),
        columns_(format.columns) {
    for (size_t c = 0; c < signature.size(); ++c) signature_index_[signature[c].name] = static_cast<int>(c);
  }

  Result<bool> Next(int64_t max_rows, columnar::Frame* out) override {
    if (max_rows <= 0) return Status::InvalidInput("max_rows must be positive, got " + std::to_string(max_rows));
    *out = columnar::Frame();
    if (!started_) {
      RETURN_IF_ERROR(ReadHeader());
      started_ = true;
    }
    if (done_) return false;
    builder_.StartFrame(max_rows);
    while (builder_.num_rows() < max_rows) {
      ASSIGN_OR_RETURN(bool has_record, ReadRecord());
      if (!has_record) {
        done_ = true;
        break;
      }
      if (blank_) continue;
      ++record_;
      if (unterminated_) {
        RETURN_IF_ERROR(ReportParseError(raw_record_, record_, record_line_));
        continue;
      }
      EmitRow();
      builder_.FinishRow();
      ++rows_read_;
    }
    if (builder_.num_rows() == 0) return false;
    builder_.FinishFrame(out);
    return true;
  }

 private:
  // Skips skip_header_rows physical lines, then takes the column names from the next non-blank
  // record if find_columns_from_header is set.
  Status ReadHeader() {
    for (int64_t i = 0; i < skip_header_rows_; ++i) {
      std::string_view line;
      ASSIGN_OR_RETURN(bool has_line, lines_.Next(&line));
      if (!has_line) {
        done_ = true;
        return Status::OK();
      }
    }
    if (find_columns_from_header_) {
      columns_.clear();
      while (true) {
        ASSIGN_OR_RETURN(bool has_record, ReadRecord());
        if (!has_record) {
          done_ = true;
          break;
        }
        if (blank_) continue;
        for (size_t j = 0; j < num_fields_; ++j) columns_.emplace_back(Field(j));
        break;
      }
    }
    // A name given twice maps to its last position, as a later map entry replaces an earlier one.
    field_columns_.assign(columns_.size(), -1);
    std::unordered_map<std::string_view, size_t> position;
    for (size_t j = 0; j < columns_.size(); ++j) {
      auto it = signature_index_.find(columns_[j]);
      if (it == signature_index_.end()) continue;
      auto [pos, inserted] = position.try_emplace(columns_[j], j);
      if (!inserted) {
        field_columns_[pos->second] = -1;
        pos->second = j;
      }
      field_columns_[j] = it->second;
    }
    return Status::OK();
  }

  // Reads the next record into the fields. Returns false at the end of the stream. Sets blank_
  // for an empty line and unterminated_ for a quoted field still open at the end of the stream.
  Result<bool> ReadRecord() {
    std::string_view line;
    ASSIGN_OR_RETURN(bool has_line, lines_.Next(&line));
    if (!has_line) return false;
    line = StripCarriageReturn(line);
    record_line_ = lines_.line_number();
    blank_ = line.empty();
    unterminated_ = false;
    raw_record_ = line;
    num_fields_ = 0;
    if (blank_) return true;
    if (!csv_) {
      SplitTsv(line);
      return true;
    }
    StartField();
    state_ = State::kFieldStart;
    ParseCsvLine(line);
    if (state_ != State::kQuoted) return true;
    // A quoted field goes on over the next lines.
    multi_line_text_.assign(line);
    while (true) {
      ASSIGN_OR_RETURN(bool more, lines_.Next(&line));
      if (!more) {
        unterminated_ = true;
        raw_record_ = multi_line_text_;
        return true;
      }
      line = StripCarriageReturn(line);
      multi_line_text_ += '\n';
      multi_line_text_.append(line);
      fields_[num_fields_ - 1] += '\n';
      ParseCsvLine(line);
      if (state_ != State::kQuoted) {
        raw_record_ = multi_line_text_;
        return true;
      }
    }
  }

  void SplitTsv(std::string_view line) {
    tsv_fields_.clear();
    size_t start = 0;
    while (true) {
      size_t pos = line.find(delimiter_, start);
      if (pos == std::string_view::npos) {
        tsv_fields_.push_back(line.substr(start));
        break;
      }
      tsv_fields_.push_back(line.substr(start, pos - start));
      start = pos + delimiter_.size();
    }
    num_fields_ = tsv_fields_.size();
  }

  void StartField() {
    if (num_fields_ == fields_.size()) {
      fields_.emplace_back();
    } else {
      fields_[num_fields_].clear();
    }
    ++num_fields_;
  }

  // RFC 4180 with the usual leniency: a quote inside an unquoted field is kept, and text after a
  // closing quote is appended.
  void ParseCsvLine(std::string_view line) {
    std::string* field = &fields_[num_fields_ - 1];
    for (char ch : line) {
      switch (state_) {
        case State::kFieldStart:
          if (ch == '"') {
            state_ = State::kQuoted;
          } else if (ch == ',') {
            StartField();
            field = &fields_[num_fields_ - 1];
          } else {
            field->push_back(ch);
            state_ = State::kUnquoted;
          }
          break;
        case State::kUnquoted:
          if (ch == ',') {
            StartField();
            field = &fields_[num_fields_ - 1];
            state_ = State::kFieldStart;
          } else {
            field->push_back(ch);
          }
          break;
        case State::kQuoted:
          if (ch == '"') {
            state_ = State::kQuoteInQuoted;
          } else {
            field->push_back(ch);
          }
          break;
        case State::kQuoteInQuoted:
          if (ch == '"') {
            field->push_back('"');
            state_ = State::kQuoted;
          } else if (ch == ',') {
            StartField();
            field = &fields_[num_fields_ - 1];
            state_ = State::kFieldStart;
          } else {
            field->push_back(ch);
            state_ = State::kUnquoted;
          }
          break;
      }
    }
  }

  std::string_view Field(size_t j) const { return csv_ ? std::string_view(fields_[j]) : tsv_fields_[j]; }

  void EmitRow() {
    size_t num_mapped = std::min(num_fields_, field_columns_.size());
    for (size_t j = 0; j < num_mapped; ++j) {
      int c = field_columns_[j];
      if (c < 0) continue;
      std::string_view text = Field(j);
      if (text.empty()) {
        builder_.SetNull(c);
        continue;
      }
      ColumnType type = builder_.type(c);
      bool splits = (type == ColumnType::kString || types::IsArray(type)) && !list_delimiter_.empty() &&
                    text.find(list_delimiter_) != std::string_view::npos;
      if (!splits) {
        builder_.SetText(c, text);
        continue;
      }
      bool keep_text = type == ColumnType::kString || type == ColumnType::kStringArray;
      builder_.BeginElements(c);
      size_t start = 0;
      while (true) {
        size_t pos = text.find(list_delimiter_, start);
        std::string_view part = text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
        if (part.empty()) {
          builder_.AddNullElement(c);
        } else {
          builder_.AddStringElement(c, keep_text ? builder_.CopyString(part) : part);
        }
        if (pos == std::string_view::npos) break;
        start = pos + list_delimiter_.size();
      }
      builder_.EndElements(c);
    }
  }

  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  LineReader lines_;
  bool csv_;
  std::string delimiter_;
  std::string list_delimiter_;
  int64_t skip_header_rows_;
  bool find_columns_from_header_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, int> signature_index_;
  std::vector<int> field_columns_;  // signature column of each field position, or -1

  bool started_ = false;
  bool done_ = false;
  int64_t record_ = 0;

  // The current record.
  State state_ = State::kFieldStart;
  std::vector<std::string> fields_;          // csv field texts (reused)
  std::vector<std::string_view> tsv_fields_;  // tsv fields, views into the line
  size_t num_fields_ = 0;
  bool blank_ = false;
  bool unterminated_ = false;
  int64_t record_line_ = 0;
  std::string_view raw_record_;
  std::string multi_line_text_;
};

}  // namespace

std::unique_ptr<RowReader> NewDelimitedRowReader(const InputFormatSpec& format,
                                                 const std::vector<InputColumn>& signature,
                                                 std::unique_ptr<io::InputStream> stream, std::string uri,
                                                 ParseErrorHandler on_error) {
  return std::make_unique<DelimitedRowReader>(format, signature, std::move(stream), std::move(uri),
                                              std::move(on_error));
}

}  // namespace strata::input::internal
