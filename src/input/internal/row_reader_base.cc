#include "input/internal/row_reader_base.h"

#include <unordered_set>

namespace strata::input::internal {
namespace {

std::vector<types::ColumnType> TypesOf(const std::vector<InputColumn>& signature) {
  std::vector<types::ColumnType> types;
  types.reserve(signature.size());
  for (const InputColumn& c : signature) types.push_back(c.type);
  return types;
}

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string ParseErrorMessage(std::string_view row_text, const std::string& uri, int64_t record, int64_t line) {
  if (!row_text.empty() && row_text.back() == '\r') row_text.remove_suffix(1);
  std::string_view quoted = CutUtf8(row_text, kMaxQuotedRowBytes);
  std::string message = "Unable to parse row [";
  message.append(quoted);
  if (quoted.size() < row_text.size()) message += "...";
  message += "] (Path: " + uri + ", Record: " + std::to_string(record) + ", Line: " + std::to_string(line) + ")";
  return message;
}

RowReaderBase::RowReaderBase(const std::vector<InputColumn>& signature, std::unique_ptr<io::InputStream> stream,
                             std::string uri, ParseErrorHandler on_error)
    : stream_(std::move(stream)), uri_(std::move(uri)), on_error_(std::move(on_error)), builder_(TypesOf(signature)) {}

Status RowReaderBase::ReportParseError(std::string_view row_text, int64_t record, int64_t line) {
  // A byte range of a file counts lines (and, for line formats, records) from the file start.
  int64_t before = stream_->lines_before();
  line += before;
  record += before;
  ParseError error;
  error.uri = uri_;
  error.line = line;
  error.record = record;
  error.message = ParseErrorMessage(row_text, uri_, record, line);
  if (!on_error_) return Status::RuntimeFailure(error.message).WithErrorCode("CannotParseExternalData");
  return on_error_(error);
}

Status CheckSignature(const std::vector<InputColumn>& signature) {
  std::unordered_set<std::string_view> seen;
  for (const InputColumn& c : signature) {
    if (!seen.insert(c.name).second) {
      return Status::InvalidInput("Invalid value for the field [signature]. Reason: duplicate column [" + c.name + "]");
    }
  }
  return Status::OK();
}

}  // namespace strata::input::internal
