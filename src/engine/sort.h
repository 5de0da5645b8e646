// Row ordering over frames: sort keys, row comparison, in-memory sorting, k-way merging, and
// GatherRows, which assembles output frames from rows of other frames.
//
// NULL ordering follows Druid: NULLs sort first in ascending order and last in descending order,
// unless a key says otherwise (NULLS FIRST/LAST).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "types/data_type.h"

namespace strata::engine {

struct SortKey {
  int column = 0;
  bool ascending = true;
  /// True: NULLs first; false: NULLs last. Default follows Druid (first iff ascending).
  bool nulls_first = true;

  static SortKey Asc(int column) { return SortKey{column, true, true}; }
  static SortKey Desc(int column) { return SortKey{column, false, false}; }
};

/// Compares row `ra` of `a` with row `rb` of `b` (same layout): <0, 0, >0.
int CompareRows(const columnar::Frame& a, int64_t ra, const columnar::Frame& b, int64_t rb,
                const std::vector<SortKey>& keys);
/// Compares one cell of two columns of the same type.
int CompareCells(const columnar::Column& a, int64_t ra, const columnar::Column& b, int64_t rb);

/// The stable sort permutation of `frame` by `keys`.
std::vector<uint32_t> SortPermutation(const columnar::Frame& frame, const std::vector<SortKey>& keys);
/// `frame` sorted by `keys`.
columnar::Frame SortFrame(const columnar::Frame& frame, const std::vector<SortKey>& keys);

/// A row of one of several frames: (frame index, row).
using RowRef = std::pair<uint32_t, uint32_t>;

/// Builds one frame from rows of several frames (same column types; string columns may be
/// multi-value in some frames), column by column. Owners of the sources are shared once.
columnar::Frame GatherRows(const std::vector<columnar::Frame>& frames, const RowRef* rows, size_t count);

/// Merges frames that are each sorted by `keys` into sorted frames of at most `max_rows` rows.
/// `next_input(i, &frame)` yields the next frame of input i (false at its end).
class FrameMerger {
 public:
  using NextFn = std::function<Result<bool>(size_t input, columnar::Frame* out)>;
  FrameMerger(size_t num_inputs, std::vector<SortKey> keys, NextFn next_input);
  /// Next merged frame; false when every input is exhausted.
  Result<bool> Next(int64_t max_rows, columnar::Frame* out);

 private:
  struct Cursor {
    columnar::Frame frame;
    int64_t row = 0;
    bool done = false;
  };
  Status Advance(size_t input);
  bool Less(size_t a, size_t b) const;

  std::vector<SortKey> keys_;
  NextFn next_input_;
  std::vector<Cursor> cursors_;
  std::vector<size_t> heap_;
  bool started_ = false;
};

}  // namespace strata::engine
