// Controller: runs a QueryDefinition. For each stage in order it decides how many workers run it
// and what each reads (work orders), runs them (threads in this process), gathers key statistics,
// chooses output partition boundaries, has the workers produce their partitions, and moves on.
// Results of the final stage go to a ResultSink; segments written by a segment generator are
// returned for the task to publish. Progress (phases, counters, warnings) is readable at any time
// through Snapshot().
//
// Threading: Run() blocks the calling thread; Cancel() and Snapshot() may be called from any
// thread while it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/thread_annotations.h"
#include "engine/execution_context.h"
#include "engine/worker.h"

namespace strata::engine {

/// Receives result frames of the final stage, in order.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual Status Consume(const columnar::Frame& frame) = 0;
};

struct StageState {
  std::string phase;  // "" (not started), READING_INPUT, POST_READING, RESULTS_READY, FINISHED, FAILED
  int worker_count = 0;
  int partition_count = 0;
  int64_t start_time = 0;  // epoch millis, 0 if not started
  int64_t end_time = 0;    // epoch millis when it finished (0 while running)
};

struct WorkerState {
  std::string state;  // RUNNING, SUCCESS, FAILED
  int64_t start_time = 0;
  int64_t end_time = 0;
};

struct ControllerSnapshot {
  std::vector<StageState> stages;
  std::vector<WorkerState> workers;  // worker slots
  std::string counters_json;
  std::vector<ErrorReport> warnings;
};

struct ControllerResult {
  std::vector<GeneratedSegment> segments;
  int64_t result_rows = 0;
};

class Controller {
 public:
  explicit Controller(std::shared_ptr<ExecutionContext> ctx);
  ~Controller();

  /// Runs the query to completion, cancellation or failure. On failure the Status carries the
  /// fault (see fault.h) and `failed_stage()` tells which stage failed.
  Result<ControllerResult> Run(ResultSink* sink);
  void Cancel() { ctx_->Cancel(); }
  ControllerSnapshot Snapshot() const;
  std::optional<int> failed_stage() const;
  ExecutionContext& context() { return *ctx_; }

 private:
  Result<std::vector<WorkOrder>> PlanWorkOrders(const StageDefinition& stage);
  Result<PartitionPlan> PlanPartitions(const StageDefinition& stage,
                                       const std::vector<std::shared_ptr<StageWorker>>& workers);
  // Runs the query's last stage with its output streamed to `sink` as it is made.
  Status StreamFinalStage(const std::vector<std::shared_ptr<StageWorker>>& workers, ResultSink* sink,
                          ControllerResult* result);
  Status RunOnWorkers(const std::vector<std::shared_ptr<StageWorker>>& workers,
                      const std::function<Status(StageWorker&)>& fn);
  void SetPhase(int stage, const std::string& phase);

  std::shared_ptr<ExecutionContext> ctx_;
  StageOutputs outputs_;
  mutable std::mutex mu_;
  std::vector<StageState> stages_ GUARDED_BY(mu_);
  std::vector<WorkerState> workers_ GUARDED_BY(mu_);
  std::optional<int> failed_stage_ GUARDED_BY(mu_);
};

}  // namespace strata::engine
