// Input formats of EXTERN: how the bytes of a slice become rows. "json" (newline-delimited
// objects), "csv" and "tsv". A RowReader produces frames whose columns follow the EXTERN
// signature; rows that do not parse are reported through a callback and skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "io/input_stream.h"
#include "types/data_type.h"

namespace strata::input {

/// One column of an EXTERN signature.
struct InputColumn {
  std::string name;
  types::ColumnType type = types::ColumnType::kString;
};

struct InputFormatSpec {
  std::string type;                  // "json", "csv", "tsv"
  std::vector<std::string> columns;  // csv/tsv column names
  bool find_columns_from_header = false;
  int64_t skip_header_rows = 0;
  std::string list_delimiter = "\x01";  // splits multi-value strings in csv/tsv
  std::string delimiter = "\t";         // tsv field delimiter
  bool keep_null_columns = false;       // json

  /// Parses an inputFormat JSON object (the second EXTERN argument). Errors name the field.
  static Result<InputFormatSpec> FromJson(std::string_view json_text);
  /// The format as Druid echoes it in reports, e.g.
  /// {"type":"json","flattenSpec":null,"featureSpec":{},"keepNullColumns":false}.
  std::string ToJson() const;
};

/// A row that could not be parsed. `line` is the 1-based physical line in the slice, `record`
/// the 1-based record number.
struct ParseError {
  std::string uri;
  int64_t line = 0;
  int64_t record = 0;
  std::string message;  // e.g. "Unable to parse row [{bad json] (Path: file:/x.json, Record: 3, Line: 3)"
};

/// Called for every unparseable row; a failed Status stops the reader with that status.
using ParseErrorHandler = std::function<Status(const ParseError&)>;

class RowReader {
 public:
  virtual ~RowReader() = default;
  /// Reads up to `max_rows` rows into `out` (one column per signature entry, in order).
  /// Returns false, with `out` empty, when the slice is exhausted.
  virtual Result<bool> Next(int64_t max_rows, columnar::Frame* out) = 0;
  /// Bytes consumed from the slice's source so far.
  virtual uint64_t bytes_read() const = 0;
  /// Rows produced so far (parse errors excluded).
  virtual int64_t rows_read() const = 0;
};

/// Creates a reader over `stream`. Values are converted to the signature types as Druid does:
/// a JSON number or boolean read into a string column becomes its text ("123", "true", doubles
/// as Java prints them), a JSON array becomes a multi-value string, strings that are not numbers
/// become NULL in numeric columns, missing fields are NULL; csv/tsv empty fields are NULL and
/// `list_delimiter` splits multi-value strings.
Result<std::unique_ptr<RowReader>> NewRowReader(const InputFormatSpec& format,
                                                const std::vector<InputColumn>& signature,
                                                std::unique_ptr<io::InputStream> stream, std::string uri,
                                                ParseErrorHandler on_error);

}  // namespace strata::input
