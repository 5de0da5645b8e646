// Partitioning of an ingestion's scan stage (ShuffleSpec kTimeChunk): rows are buffered with their
// time chunk while the stage reads its input (spilling to disk when the worker's memory budget runs
// out); the controller then plans the partitions (time chunk x CLUSTERED BY key range, sized to
// rowsPerSegment) from every worker's key statistics, and each row is routed to its partition.
// Rows keep their arrival order within a partition: the segment generator puts them in segment
// order itself, so the shuffle never sorts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "engine/counters.h"
#include "engine/frame_channel.h"
#include "engine/sort.h"
#include "types/granularity.h"

namespace strata::engine {

/// Row counts and key samples per time chunk, for choosing partition boundaries.
struct KeyStatistics {
  struct Bucket {
    int64_t rows = 0;
    std::vector<columnar::Frame> samples;  // key columns only: cluster keys then time
  };
  std::map<int64_t, Bucket> buckets;
  int64_t total_rows = 0;
};

/// Output partition boundaries of a kTimeChunk stage: partition i holds rows of `bucket` whose
/// key is >= `lower` (absent: from the bucket start) and < the next partition's lower bound.
struct PartitionPlan {
  struct Partition {
    int64_t bucket = 0;
    std::optional<columnar::Frame> lower;  // one-row frame of key columns
  };
  std::vector<Partition> partitions;
  int num_partitions = 1;
};

class TimeChunkPartitioner {
 public:
  /// Rows belong to the time chunk of `time_column` at `granularity`; `key_columns` (the cluster
  /// keys, then time) are what partition boundaries compare. `buffer_bytes`: buffered bytes that
  /// trigger a spill (also when `budget` is exceeded); `spill` may be null (never spill).
  TimeChunkPartitioner(int time_column, types::Granularity granularity, std::vector<SortKey> key_columns,
                       MemoryBudget* budget, SpillDirectory* spill, int64_t buffer_bytes);
  ~TimeChunkPartitioner();
  TimeChunkPartitioner(const TimeChunkPartitioner&) = delete;
  TimeChunkPartitioner& operator=(const TimeChunkPartitioner&) = delete;

  /// Buffers a frame (every row's time must be non-null).
  Status Add(columnar::Frame frame);

  /// Routes every row to its partition of `plan`: one source per plan partition. Call once.
  Result<std::vector<std::unique_ptr<PartitionSource>>> Route(const PartitionPlan& plan,
                                                              const std::function<Status()>& check_canceled);

  int64_t num_rows() const { return buffer_.num_rows(); }
  int num_spills() const { return static_cast<int>(buffer_.spill_paths().size()); }
  /// Progress in Druid's sortProgress shape: level 0 counts buffered batches, level 1 routing.
  SortProgress progress() const;

 private:
  class Router;
  struct FrameStore;
  Status Spill();

  int time_column_;
  types::Granularity granularity_;
  std::vector<SortKey> key_columns_;
  SpillableBuffer buffer_;
  int64_t batches_ = 0;  // spills, plus the final in-memory batch, once routed
  bool routed_ = false;
};

}  // namespace strata::engine
