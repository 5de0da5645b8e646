// The "csv" and "tsv" input formats: delimited text records mapped to signature columns by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "input/input_format.h"
#include "io/input_stream.h"

namespace strata::input::internal {

/// A reader of CSV (RFC 4180 quoting, `,` delimiter) when `format.type` is "csv", or of TSV
/// (split on `format.delimiter`, no quoting) otherwise. `skip_header_rows` physical lines are
/// skipped first; then, with `find_columns_from_header`, the next record names the columns.
/// Empty fields are NULL; `list_delimiter` splits string fields into multi-value strings.
std::unique_ptr<RowReader> NewDelimitedRowReader(const InputFormatSpec& format,
                                                 const std::vector<InputColumn>& signature,
                                                 std::unique_ptr<io::InputStream> stream, std::string uri,
                                                 ParseErrorHandler on_error);

}  // namespace strata::input::internal
