// The "json" input format: one JSON object per line, parsed with simdjson's On-Demand API.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "input/input_format.h"
#include "io/input_stream.h"

namespace strata::input::internal {

/// A reader of newline-delimited JSON objects (see NewRowReader in input_format.h for the
/// conversion rules). Blank lines are skipped; a line that is not one valid JSON object is
/// reported to `on_error` and skipped.
std::unique_ptr<RowReader> NewJsonRowReader(const std::vector<InputColumn>& signature,
                                            std::unique_ptr<io::InputStream> stream, std::string uri,
                                            ParseErrorHandler on_error);

}  // namespace strata::input::internal
