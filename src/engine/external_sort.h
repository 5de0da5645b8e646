// ExternalSorter: sorts any number of rows within a memory budget. Rows are buffered; when the
// buffer exceeds its share of the worker's MemoryBudget it is sorted and written to disk as a
// run; Finish() merges the runs (and what is still buffered) into one sorted stream. Progress is
// reported in Druid's sortProgress shape: level 0 counts runs, level 1 the final merge.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "engine/counters.h"
#include "engine/frame_channel.h"
#include "engine/sort.h"

namespace strata::engine {

class ExternalSorter {
 public:
  /// `run_bytes`: buffered bytes that trigger a run (also when `budget` is exceeded). `spill`
  /// may be null (never spill).
  ExternalSorter(std::vector<SortKey> keys, MemoryBudget* budget, SpillDirectory* spill, int64_t run_bytes);
  ~ExternalSorter();

  Status Add(columnar::Frame frame);
  /// Sorts what remains and returns a reader over all rows in order (frames of <= max_rows).
  /// The sorter must outlive the reader.
  Result<std::unique_ptr<FrameReader>> Finish(int64_t max_rows);

  int64_t num_rows() const { return buffer_.num_rows(); }
  int num_spilled_runs() const { return static_cast<int>(buffer_.spill_paths().size()); }
  SortProgress progress() const;

 private:
  Status SpillRun();

  std::vector<SortKey> keys_;
  SpillableBuffer buffer_;
  bool finished_ = false;
  bool merged_ = false;
  // Sort order of the buffered rows when nothing was spilled.
  std::vector<RowRef> order_;
};

/// Sorts rows spread over several frames: the permutation as (frame index, row) pairs. With
/// `limit` >= 0 only the first `limit` rows of the order are returned (a partial sort).
std::vector<RowRef> SortRows(const std::vector<columnar::Frame>& frames, const std::vector<SortKey>& keys,
                             int64_t limit = -1);

}  // namespace strata::engine
