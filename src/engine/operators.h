// Operators: the per-worker pipeline of a stage. Frames are pushed from the stage's inputs through
// a chain of operators into a sink (the stage's output collector). Operators are single-threaded
// (one chain per worker) and own their buffered state.
//
// Contract (see also docs/engine.md):
//  - Push(frame) consumes a frame; it may push zero or more frames downstream.
//  - Finish() is called once after the last Push; blocking operators (aggregate, sort) emit
//    their rows here, then call Finish() downstream.
//  - done() becomes true when no further input can change the output (a satisfied LIMIT);
//    sources check it to stop reading early.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "engine/expr.h"
#include "engine/frame_channel.h"
#include "engine/query_definition.h"

namespace strata::engine {

class Operator {
 public:
  virtual ~Operator() = default;
  virtual Status Push(columnar::Frame frame) = 0;
  virtual Status Finish() = 0;
  virtual bool done() const { return false; }
  /// The rows pushed since the previous call form whole partitions of a hash shuffle: no later
  /// row shares their group keys. A merging aggregation emits its groups and starts over (its
  /// table stays the size of one partition); row-by-row operators pass the call on.
  virtual Status EndOfPartition() { return Status::OK(); }
  /// Rows of partition `partition` of a hash-partitioned input come next (followed by
  /// EndOfPartition); a co-partitioned join loads the build side's partition. Passed on like
  /// EndOfPartition.
  virtual Status StartPartition(int partition) {
    (void)partition;
    return Status::OK();
  }
};

/// Reads a stage input for a join's build side: partition `partition` of input `input`, or, with
/// partition -1, all of the input's partitions this worker was given.
using BuildLoader = std::function<Result<std::vector<columnar::Frame>>(int input, int partition)>;

/// Builds the chain for `specs` ending in `sink` (not owned). Returns the head of the chain (the
/// sink itself when there are no operators); the chain owns its operators through the returned
/// holder.
struct Pipeline {
  std::vector<std::unique_ptr<Operator>> operators;
  Operator* head = nullptr;
};
/// What operators may use to stay within memory: the worker's budget and its spill directory
/// (either may be null: no limit / no spilling).
struct PipelineResources {
  MemoryBudget* budget = nullptr;
  SpillDirectory* spill = nullptr;
};

Result<Pipeline> BuildPipeline(const std::vector<OperatorSpec>& specs, const EvalContext* ctx, Operator* sink,
                               BuildLoader build_loader = nullptr, PipelineResources resources = {});

/// Keeps rows where `predicate` is true.
Result<columnar::Frame> ApplyFilter(const columnar::Frame& frame, const Expr& predicate, const EvalContext& ctx);

}  // namespace strata::engine
