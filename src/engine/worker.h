// StageWorker: one worker's share of one stage. The controller gives it a work order (which input
// slices it reads), runs ReadInput() (phase READING_INPUT: inputs -> operator pipeline -> output
// collector), takes its key statistics, then runs ProduceOutput() (phase POST_READING: sort and
// cut the output into partitions, or write segments). Partitions are then read by the next
// stage's workers through OpenPartition().
//
// In this process workers are threads; the same split of work (work order, statistics,
// partition boundaries, partition fetches) is what a remote worker will expose over HTTP.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/execution_context.h"
#include "engine/external_sort.h"
#include "engine/frame_channel.h"
#include "engine/time_chunk_partitioner.h"
#include "engine/operators.h"
#include "input/input_source.h"

namespace strata::engine {

struct RangeKeyMin;

class StageWorker;

/// What one worker of a stage reads.
struct WorkOrder {
  struct Slices {
    std::vector<input::InputSlice> files;             // kExternal
    int64_t total_files = 0;                          // all files of the input (for counters)
    std::vector<catalog::TimelineEntry> segments;     // kTable
    std::vector<int> partitions;                      // kStage: partitions to read
    bool inline_rows = false;                         // kInline
  };
  std::vector<Slices> inputs;  // one per StageDefinition input
};

/// Producers of the inputs of a stage: stage number -> its workers.
using StageOutputs = std::map<int, std::vector<std::shared_ptr<StageWorker>>>;

class StageWorker {
 public:
  StageWorker(ExecutionContext* ctx, const StageDefinition* stage, int worker, WorkOrder order,
              const StageOutputs* upstream);
  ~StageWorker();

  int worker_number() const { return worker_; }
  /// Output goes to `live` as it is made instead of into partitions (the final stage of a query,
  /// streamed to the client; the stage's shuffle must be kNone). Set before ReadInput.
  void set_live_output(LiveChannel* live) { live_ = live; }
  Status ReadInput();
  const KeyStatistics& statistics() const { return stats_; }
  Status ProduceOutput(const PartitionPlan& plan);

  int num_partitions() const { return static_cast<int>(partitions_.size()); }
  /// A reader of output partition `p` of this worker (empty if the worker produced none).
  Result<std::unique_ptr<FrameReader>> OpenPartition(int p) const;
  const std::vector<GeneratedSegment>& segments() const { return segments_; }
  /// Rows of output partition `p` of this worker.
  int64_t PartitionRows(int p) const;
  /// Drops buffered output (after consumers are done).
  void ReleaseOutput();
  /// Drops output partition `p` (after its only consumer read it).
  void ReleasePartition(int p);

 private:
  class Collector;
  Status ReadExternal(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices);
  Status ReadTable(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices);
  Status ReadStage(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices);
  Result<std::vector<columnar::Frame>> LoadBuildSide(int input_number, int partition);
  Status PushToPipeline(const std::string& channel, columnar::Frame frame);
  Status GenerateSegments(const PartitionPlan& plan);
  types::Interval ChunkOf(int64_t time) const;
  std::unique_ptr<segment::SegmentWriter> NewSegmentWriter(const types::Interval& chunk) const;
  Status WriteSplitSegments(std::vector<columnar::Frame> frames, const ShuffleSpec& shuffle);
  Status FinishSegment(std::unique_ptr<segment::SegmentWriter> writer, const types::Interval& chunk,
                       const RangeKeyMin& range);

  ExecutionContext* ctx_;
  const StageDefinition* stage_;
  int worker_;
  WorkOrder order_;
  const StageOutputs* upstream_;
  std::shared_ptr<WorkerCounters> counters_;
  MemoryBudget budget_;
  SpillDirectory spill_;
  std::unique_ptr<Collector> collector_;
  Pipeline pipeline_;
  KeyStatistics stats_;
  std::vector<std::unique_ptr<PartitionSource>> partitions_;
  std::vector<GeneratedSegment> segments_;
  LiveChannel* live_ = nullptr;
};

/// The smallest tuple of a segment's range shard keys (SegmentGeneratorSpec::range_shard_columns),
/// NULL before any string, fed the frames the segment is written from.
struct RangeKeyMin {
  std::vector<std::optional<std::string>> min;
  bool seen = false;
  bool multi_valued = false;
  void Add(const columnar::Frame& frame, const std::vector<int>& columns);
};

/// Opens partition `p` of `stage` as produced by all of its workers: merged on the stage's sort
/// keys when the stage's shuffle sorts (and `merge` is true), else concatenated in worker order.
Result<std::unique_ptr<FrameReader>> OpenStagePartition(const StageDefinition& stage,
                                                        const std::vector<std::shared_ptr<StageWorker>>& workers, int p,
                                                        bool merge = true);

}  // namespace strata::engine
