// SegmentScan: reads the rows of one segment that a TableInput asks for, using the segment's
// structure to skip work: time ranges become row ranges (rows are sorted by __time), filter
// conjuncts over one string column are decided once per dictionary value and answered with the
// value bitmaps, and only the remaining conjuncts are evaluated row by row.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "engine/expr.h"
#include "engine/query_definition.h"
#include "segment/segment.h"

namespace strata::engine {

struct ScanStats {
  int64_t rows_scanned = 0;   // rows decoded
  int64_t rows_matched = 0;   // rows emitted
  int64_t blocks_skipped = 0;
};

/// Scans `segment` (visible only within `visible` intervals) for `input`, emitting frames of the
/// input's columns with the filter applied. `emit` returning false stops the scan early.
Status ScanSegment(const segment::Segment& segment, const std::vector<types::Interval>& visible,
                   const TableInput& input, const EvalContext& ctx,
                   const std::function<Result<bool>(columnar::Frame)>& emit, ScanStats* stats);

/// Splits a predicate into its top-level AND conjuncts.
void SplitConjuncts(const ExprPtr& predicate, std::vector<ExprPtr>* out);

}  // namespace strata::engine
