#include "query/result_format.h"

#include "base/base64.h"

#include <cmath>

#include "types/number_format.h"

namespace strata::query {

using columnar::Column;
using types::ColumnType;
using types::SqlTypeName;

Result<ResultFormat> ParseResultFormat(const std::string& name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (n.empty() || n == "object") return ResultFormat::kObject;
  if (n == "array") return ResultFormat::kArray;
  if (n == "objectlines") return ResultFormat::kObjectLines;
  if (n == "arraylines") return ResultFormat::kArrayLines;
  if (n == "csv") return ResultFormat::kCsv;
  return Status::InvalidInput("Unknown resultFormat [" + name + "]; expected one of object, array, objectLines, arrayLines, csv")
      .WithErrorCode("invalidInput");
}

std::string ContentType(ResultFormat format) {
  switch (format) {
    case ResultFormat::kObject:
    case ResultFormat::kArray: return "application/json";
    case ResultFormat::kObjectLines:
    case ResultFormat::kArrayLines: return "text/plain";
    case ResultFormat::kCsv: return "text/csv";
  }
  return "application/json";
}

void AppendJsonString(std::string* out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

namespace {

void AppendCsvField(std::string* out, std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string DoubleText(double d, bool is_float) {
  return is_float ? types::FormatFloatJava(static_cast<float>(d)) : types::FormatDoubleJava(d);
}

bool IsJsonNumberText(const std::string& s) { return s != "NaN" && s != "Infinity" && s != "-Infinity"; }

}  // namespace

ResultWriter::ResultWriter(std::vector<sql::Field> fields, ResultOptions options, ByteSink sink)
    : fields_(std::move(fields)), options_(std::move(options)), sink_(std::move(sink)) {}

Status ResultWriter::Flush(bool force) {
  if (buffer_.empty() || (!force && buffer_.size() < (1 << 16))) return Status::OK();
  Status s = sink_(buffer_);
  buffer_.clear();
  return s;
}

void ResultWriter::StartRow() {
  switch (options_.format) {
    case ResultFormat::kObject:
      if (!first_row_) buffer_.push_back(',');
      buffer_.push_back('{');
      break;
    case ResultFormat::kArray:
      if (!first_row_) buffer_.push_back(',');
      buffer_.push_back('[');
      break;
    case ResultFormat::kObjectLines: buffer_.push_back('{'); break;
    case ResultFormat::kArrayLines: buffer_.push_back('['); break;
    case ResultFormat::kCsv: break;
  }
  first_row_ = false;
}

void ResultWriter::EndRow() {
  switch (options_.format) {
    case ResultFormat::kObject: buffer_.push_back('}'); break;
    case ResultFormat::kArray: buffer_.push_back(']'); break;
    case ResultFormat::kObjectLines: buffer_.append("}\n"); break;
    case ResultFormat::kArrayLines: buffer_.append("]\n"); break;
    case ResultFormat::kCsv: buffer_.push_back('\n'); break;
  }
}

Status ResultWriter::Begin() {
  if (options_.format == ResultFormat::kObject || options_.format == ResultFormat::kArray) buffer_.push_back('[');
  if (!options_.header) return Status::OK();
  bool object = options_.format == ResultFormat::kObject || options_.format == ResultFormat::kObjectLines;
  auto native_name = [](const sql::Field& f) {
    std::string t(types::NativeTypeName(f.native));
    if (f.native == ColumnType::kComplex && !f.type.complex_name.empty()) t = "COMPLEX<" + f.type.complex_name + ">";
    return t;
  };
  if (object) {
    StartRow();
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i) buffer_.push_back(',');
      AppendJsonString(&buffer_, fields_[i].name);
      buffer_.push_back(':');
      if (!options_.types_header && !options_.sql_types_header) {
        buffer_.append("null");
        continue;
      }
      buffer_.push_back('{');
      if (options_.types_header) {
        buffer_.append("\"type\":");
        AppendJsonString(&buffer_, native_name(fields_[i]));
      }
      if (options_.sql_types_header) {
        if (options_.types_header) buffer_.push_back(',');
        buffer_.append("\"sqlType\":");
        AppendJsonString(&buffer_, fields_[i].type.HeaderName());
      }
      buffer_.push_back('}');
    }
    EndRow();
    return Flush(false);
  }
  auto header_row = [&](const std::function<std::string(const sql::Field&)>& text) {
    StartRow();
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (options_.format == ResultFormat::kCsv) {
        if (i) buffer_.push_back(',');
        AppendCsvField(&buffer_, text(fields_[i]));
      } else {
        if (i) buffer_.push_back(',');
        AppendJsonString(&buffer_, text(fields_[i]));
      }
    }
    EndRow();
  };
  header_row([](const sql::Field& f) { return f.name; });
  if (options_.types_header) header_row(native_name);
  if (options_.sql_types_header) header_row([](const sql::Field& f) { return f.type.HeaderName(); });
  return Flush(false);
}

void ResultWriter::AppendValue(const types::Value& v, size_t field, bool in_csv) {
  const sql::Field& f = fields_[field];
  if (v.is_null()) {
    if (!in_csv) buffer_.append("null");
    return;
  }
  std::string text;
  bool is_string = false;
  switch (f.type.name) {
    case SqlTypeName::kTimestamp:
    case SqlTypeName::kDate:
      text = types::FormatIso8601(v.is_long() ? v.long_value() : static_cast<int64_t>(v.AsDouble()), options_.time_zone);
      is_string = true;
      break;
    case SqlTypeName::kBoolean:
      text = v.AsDouble() != 0 ? "true" : "false";
      break;
    default:
      if (v.is_long()) {
        text = std::to_string(v.long_value());
      } else if (v.is_double()) {
        text = DoubleText(v.double_value(), f.native == ColumnType::kFloat);
        is_string = !IsJsonNumberText(text);
      } else if (v.is_string()) {
        text = v.string_value();
        is_string = true;
      } else {
        // Arrays / multi-value strings: a JSON array, stringified unless sqlStringifyArrays=false.
        std::string arr = "[";
        const auto& elems = v.array_value();
        for (size_t i = 0; i < elems.size(); ++i) {
          if (i) arr.push_back(',');
          if (elems[i].is_null()) arr += "null";
          else if (elems[i].is_string()) AppendJsonString(&arr, elems[i].string_value());
          else if (elems[i].is_double()) arr += types::FormatDoubleJava(elems[i].double_value());
          else arr += elems[i].ToString();
        }
        arr.push_back(']');
        // sqlStringifyArrays=false applies to ARRAY columns; a multi-value VARCHAR is always
        // text (Druid).
        if (!options_.stringify_arrays && !in_csv && f.type.name == SqlTypeName::kArray) {
          buffer_.append(arr);
          return;
        }
        text = arr;
        is_string = true;
      }
      break;
  }
  if (in_csv) {
    AppendCsvField(&buffer_, text);
  } else if (is_string) {
    AppendJsonString(&buffer_, text);
  } else {
    buffer_.append(text);
  }
}

void ResultWriter::AppendCell(const Column& c, int64_t row, size_t field, bool in_csv) {
  const sql::Field& f = fields_[field];
  if (c.type == ColumnType::kComplex && !c.IsNull(row)) {
    // Sketches and other complex values travel as base64 text, as Druid serializes them.
    std::string text = base::Base64Encode(c.strings[row]);
    if (in_csv) AppendCsvField(&buffer_, text);
    else AppendJsonString(&buffer_, text);
    return;
  }
  // Fast paths for the common cases.
  if (!c.IsNull(row) && !c.multi_value) {
    if (c.type == ColumnType::kString && f.type.name != SqlTypeName::kTimestamp) {
      if (in_csv) AppendCsvField(&buffer_, c.strings[row]);
      else AppendJsonString(&buffer_, c.strings[row]);
      return;
    }
    if (c.type == ColumnType::kLong && f.type.name != SqlTypeName::kTimestamp && f.type.name != SqlTypeName::kDate &&
        f.type.name != SqlTypeName::kBoolean) {
      types::AppendLong(&buffer_, c.longs[row]);
      return;
    }
  }
  AppendValue(columnar::GetValue(c, row), field, in_csv);
}

Status ResultWriter::WriteFrame(const columnar::Frame& frame) {
  bool object = options_.format == ResultFormat::kObject || options_.format == ResultFormat::kObjectLines;
  bool csv = options_.format == ResultFormat::kCsv;
  std::vector<std::string> keys;
  if (object) {
    for (const auto& f : fields_) {
      std::string k;
      AppendJsonString(&k, f.name);
      k.push_back(':');
      keys.push_back(std::move(k));
    }
  }
  for (int64_t r = 0; r < frame.num_rows; ++r) {
    StartRow();
    for (size_t c = 0; c < fields_.size(); ++c) {
      if (c) buffer_.push_back(',');
      if (object) buffer_.append(keys[c]);
      const Column& col = frame.column(static_cast<int>(c));
      // A CSV row that is a single empty string is quoted so it is not mistaken for the trailer.
      if (csv && fields_.size() == 1 && col.type == ColumnType::kString && !col.multi_value && !col.IsNull(r) &&
          col.strings[r].empty()) {
        buffer_.append("\"\"");
        continue;
      }
      AppendCell(col, r, c, csv);
    }
    EndRow();
    ++rows_;
    RETURN_IF_ERROR(Flush(false));
  }
  return Status::OK();
}

Status ResultWriter::WriteValues(const std::vector<types::Value>& values) {
  bool object = options_.format == ResultFormat::kObject || options_.format == ResultFormat::kObjectLines;
  bool csv = options_.format == ResultFormat::kCsv;
  StartRow();
  for (size_t c = 0; c < values.size(); ++c) {
    if (c) buffer_.push_back(',');
    if (object) {
      AppendJsonString(&buffer_, fields_[c].name);
      buffer_.push_back(':');
    }
    AppendValue(values[c], c, csv);
  }
  EndRow();
  ++rows_;
  return Flush(false);
}

Status ResultWriter::End() {
  switch (options_.format) {
    case ResultFormat::kObject:
    case ResultFormat::kArray: buffer_.append("]\n"); break;
    case ResultFormat::kObjectLines:
    case ResultFormat::kArrayLines:
    case ResultFormat::kCsv: buffer_.push_back('\n'); break;
  }
  return Flush(true);
}

}  // namespace strata::query
