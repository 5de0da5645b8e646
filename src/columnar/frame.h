// Frame: a batch of rows stored column by column (a few thousand rows), the unit that flows between
// operators, stages and workers. Columns are shared immutable vectors; building a projection of a
// frame costs pointer copies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/column.h"

namespace strata::columnar {

/// Default number of rows operators aim for in one frame.
inline constexpr int64_t kDefaultFrameRows = 8192;

struct Frame {
  int64_t num_rows = 0;
  std::vector<ColumnPtr> columns;

  int num_columns() const { return static_cast<int>(columns.size()); }
  const Column& column(int i) const { return *columns[i]; }
  int64_t ByteSize() const;
};

/// Rows `indices` of every column.
Frame GatherFrame(const Frame& frame, const std::vector<uint32_t>& indices);
/// Rows [offset, offset + length).
Frame SliceFrame(const Frame& frame, int64_t offset, int64_t length);
/// Frames with the same column types, concatenated.
Frame ConcatFrames(const std::vector<Frame>& frames);

/// Debug rendering of a frame, one row per line with '|' between cells.
std::string FrameToString(const Frame& frame);

}  // namespace strata::columnar
