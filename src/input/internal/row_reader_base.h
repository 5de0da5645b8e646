// RowReaderBase: what the JSON and delimited (CSV/TSV) row readers share: the stream and its
// name, the frame builder, the counters, and the reporting of unparseable rows as Druid words it
// ("Unable to parse row [...] (Path: ..., Record: ..., Line: ...)", the CannotParseExternalData
// fault).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "input/input_format.h"
#include "input/internal/frame_builder.h"
#include "io/input_stream.h"

namespace strata::input::internal {

/// The longest row text quoted in a parse error message; longer rows are cut and end in "...".
inline constexpr size_t kMaxQuotedRowBytes = 1000;

/// "Unable to parse row [<row text>] (Path: <uri>, Record: <record>, Line: <line>)".
std::string ParseErrorMessage(std::string_view row_text, const std::string& uri, int64_t record, int64_t line);

class RowReaderBase : public RowReader {
 public:
  RowReaderBase(const std::vector<InputColumn>& signature, std::unique_ptr<io::InputStream> stream, std::string uri,
                ParseErrorHandler on_error);

  uint64_t bytes_read() const override { return stream_->bytes_read(); }
  int64_t rows_read() const override { return rows_read_; }

 protected:
  /// Reports an unparseable row to the handler. Returns the handler's status; without a handler,
  /// a RuntimeFailure with error code "CannotParseExternalData".
  Status ReportParseError(std::string_view row_text, int64_t record, int64_t line);

  std::unique_ptr<io::InputStream> stream_;
  std::string uri_;
  ParseErrorHandler on_error_;
  FrameBuilder builder_;
  int64_t rows_read_ = 0;
};

/// Checks that the signature names each column once; InvalidInput naming the duplicate if not.
Status CheckSignature(const std::vector<InputColumn>& signature);

}  // namespace strata::input::internal
