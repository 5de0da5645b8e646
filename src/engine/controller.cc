#include "engine/controller.h"

#include <algorithm>
#include <thread>

#include "base/clock.h"
#include "base/logging.h"

namespace strata::engine {

using columnar::Frame;

Controller::Controller(std::shared_ptr<ExecutionContext> ctx) : ctx_(std::move(ctx)) {
  std::lock_guard<std::mutex> lock(mu_);
  stages_.resize(ctx_->query().stages.size());
  workers_.resize(std::max(1, ctx_->options().max_num_tasks - 1));
}

Controller::~Controller() = default;

ControllerSnapshot Controller::Snapshot() const {
  ControllerSnapshot s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.stages = stages_;
    s.workers = workers_;
  }
  s.counters_json = ctx_->counters().ToJson();
  s.warnings = ctx_->warnings();
  return s;
}

std::optional<int> Controller::failed_stage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_stage_;
}

void Controller::SetPhase(int stage, const std::string& phase) {
  std::lock_guard<std::mutex> lock(mu_);
  StageState& s = stages_[stage];
  if (s.phase.empty()) s.start_time = base::NowMillis();
  s.phase = phase;
  if (phase == "FINISHED" || phase == "FAILED" || phase == "RESULTS_READY") {
    if (s.end_time == 0) s.end_time = base::NowMillis();
  }
}

Result<std::vector<WorkOrder>> Controller::PlanWorkOrders(const StageDefinition& stage) {
  int slots = std::max(1, ctx_->options().max_num_tasks - 1);
  int max_workers = std::max(1, std::min(slots, stage.max_worker_count));
  // Units of work per input.
  struct Units {
    std::vector<input::InputSlice> files;
    std::vector<catalog::TimelineEntry> segments;
    std::vector<int> partitions;
  };
  std::vector<Units> units(stage.inputs.size());
  size_t max_units = 1;
  for (size_t i = 0; i < stage.inputs.size(); ++i) {
    const InputSpec& in = stage.inputs[i];
    switch (in.kind) {
      case InputSpec::Kind::kExternal: {
        ASSIGN_OR_RETURN(std::vector<input::InputSlice> files, in.external.source->Slices());
        // Large line-oriented files are read by several workers (byte ranges split on lines).
        const auto& fmt = in.external.format;
        bool splittable = fmt.type == "json" || (fmt.type == "tsv" && !fmt.find_columns_from_header && fmt.skip_header_rows == 0);
        int64_t total_bytes = 0;
        for (const auto& f : files) total_bytes += std::max<int64_t>(0, f.size_bytes);
        int64_t target = std::max<int64_t>(32LL << 20, (total_bytes + max_workers - 1) / max_workers);
        for (const auto& f : files) {
          if (!splittable || max_workers == 1) {
            units[i].files.push_back(f);
            continue;
          }
          for (auto& piece : in.external.source->Split(f, target)) units[i].files.push_back(std::move(piece));
        }
        max_units = std::max(max_units, units[i].files.size());
        break;
      }
      case InputSpec::Kind::kTable:
        units[i].segments = in.table.segments;
        max_units = std::max(max_units, units[i].segments.size());
        break;
      case InputSpec::Kind::kStage: {
        auto it = outputs_.find(in.stage);
        int partitions = 1;
        if (it != outputs_.end() && !it->second.empty()) partitions = it->second[0]->num_partitions();
        for (int p = 0; p < partitions; ++p) units[i].partitions.push_back(p);
        if (!in.broadcast && !in.copartitioned) max_units = std::max(max_units, static_cast<size_t>(partitions));
        break;
      }
      case InputSpec::Kind::kInline:
        break;
    }
  }
  int num_workers = static_cast<int>(std::min<size_t>(max_workers, max_units));
  std::vector<WorkOrder> orders(num_workers);
  for (auto& o : orders) o.inputs.resize(stage.inputs.size());
  for (size_t i = 0; i < stage.inputs.size(); ++i) {
    const InputSpec& in = stage.inputs[i];
    Units& u = units[i];
    if (in.kind == InputSpec::Kind::kExternal) {
      // Balance by size, keeping each worker's files in their original order.
      std::vector<int64_t> load(num_workers, 0);
      std::vector<std::vector<input::InputSlice>> assigned(num_workers);
      for (const auto& f : u.files) {
        int w = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
        load[w] += std::max<int64_t>(1, f.size_bytes);
        assigned[w].push_back(f);
      }
      for (int w = 0; w < num_workers; ++w) {
        orders[w].inputs[i].files = std::move(assigned[w]);
        orders[w].inputs[i].total_files = static_cast<int64_t>(u.files.size());
        ctx_->counters().ForWorker(stage.stage_number, w)->AddFiles("input" + std::to_string(i), 0, 0,
                                                                   static_cast<int64_t>(orders[w].inputs[i].files.size()));
      }
    } else if (in.kind == InputSpec::Kind::kTable) {
      // Contiguous runs of segments (time order), balanced by rows, so that worker order is time order.
      int64_t total_rows = 0;
      for (const auto& s : u.segments) total_rows += std::max<int64_t>(1, s.segment->record.num_rows);
      int64_t target = (total_rows + num_workers - 1) / std::max(1, num_workers);
      int w = 0;
      int64_t acc = 0;
      for (const auto& s : u.segments) {
        if (acc >= target && w + 1 < num_workers) {
          ++w;
          acc = 0;
        }
        orders[w].inputs[i].segments.push_back(s);
        acc += std::max<int64_t>(1, s.segment->record.num_rows);
      }
      for (int k = 0; k < num_workers; ++k) {
        ctx_->counters().ForWorker(stage.stage_number, k)->AddFiles("input" + std::to_string(i), 0, 0,
                                                                   static_cast<int64_t>(orders[k].inputs[i].segments.size()));
      }
    } else if (in.kind == InputSpec::Kind::kStage) {
      if (in.broadcast) {
        for (auto& o : orders) o.inputs[i].partitions = u.partitions;
      } else {
        for (size_t p = 0; p < u.partitions.size(); ++p) orders[p % num_workers].inputs[i].partitions.push_back(u.partitions[p]);
      }
    } else {
      orders[0].inputs[i].inline_rows = true;
    }
  }
  return orders;
}

Result<PartitionPlan> Controller::PlanPartitions(const StageDefinition& stage,
                                                 const std::vector<std::shared_ptr<StageWorker>>& workers) {
  PartitionPlan plan;
  const ShuffleSpec& shuffle = stage.shuffle;
  if (shuffle.kind != ShuffleSpec::Kind::kTimeChunk) {
    plan.num_partitions = shuffle.kind == ShuffleSpec::Kind::kHash ? std::max(1, shuffle.num_partitions) : 1;
    return plan;
  }
  // Merge per-bucket counts and samples from all workers.
  std::map<int64_t, KeyStatistics::Bucket> buckets;
  for (const auto& w : workers) {
    for (const auto& [b, st] : w->statistics().buckets) {
      auto& merged = buckets[b];
      merged.rows += st.rows;
      for (const auto& s : st.samples) merged.samples.push_back(s);
    }
  }
  if (buckets.size() > 5000) return TooManyBucketsFault(5000).ToStatus();
  std::vector<SortKey> key_order;  // sample columns: cluster keys then time
  for (size_t k = 0; k < shuffle.cluster_keys.size(); ++k) {
    key_order.push_back(SortKey{static_cast<int>(k), shuffle.cluster_keys[k].ascending, shuffle.cluster_keys[k].nulls_first});
  }
  key_order.push_back(SortKey::Asc(static_cast<int>(shuffle.cluster_keys.size())));
  for (auto& [bucket, st] : buckets) {
    plan.partitions.push_back(PartitionPlan::Partition{bucket, std::nullopt});
    int64_t parts = (st.rows + shuffle.rows_per_segment - 1) / shuffle.rows_per_segment;
    if (parts <= 1 || st.samples.empty()) continue;
    Frame samples = SortFrame(columnar::ConcatFrames(st.samples), key_order);
    for (int64_t k = 1; k < parts; ++k) {
      int64_t idx = samples.num_rows * k / parts;
      if (idx <= 0 || idx >= samples.num_rows) continue;
      Frame bound = columnar::SliceFrame(samples, idx, 1);
      // Skip duplicate boundaries (many rows with the same key).
      const auto& prev = plan.partitions.back();
      if (prev.lower && CompareRows(*prev.lower, 0, bound, 0, key_order) >= 0) continue;
      plan.partitions.push_back(PartitionPlan::Partition{bucket, bound});
    }
  }
  plan.num_partitions = std::max<int>(1, static_cast<int>(plan.partitions.size()));
  if (plan.partitions.empty()) plan.partitions.push_back(PartitionPlan::Partition{0, std::nullopt});
  return plan;
}

Status Controller::RunOnWorkers(const std::vector<std::shared_ptr<StageWorker>>& workers,
                                const std::function<Status(StageWorker&)>& fn) {
  std::vector<Status> results(workers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        results[i] = fn(*workers[i]);
      } catch (const std::exception& e) {
        results[i] = Status::Internal(std::string("worker failed: ") + e.what());
      } catch (...) {
        results[i] = Status::Internal("worker failed with an unknown exception");
      }
      if (!results[i].ok()) ctx_->Cancel();  // stop the other workers early
    });
  }
  for (auto& t : threads) t.join();
  // Report the root cause, not the cancellations it caused.
  Status first_error;
  for (const Status& s : results) {
    if (s.ok()) continue;
    if (first_error.ok() || (first_error.code() == StatusCode::kCanceled && s.code() != StatusCode::kCanceled)) first_error = s;
  }
  return first_error;
}

Status Controller::StreamFinalStage(const std::vector<std::shared_ptr<StageWorker>>& workers, ResultSink* sink,
                                    ControllerResult* result) {
  constexpr int64_t kQueuedBytesPerWorker = 32LL << 20;
  std::vector<std::unique_ptr<LiveChannel>> live;
  for (const auto& w : workers) {
    live.push_back(std::make_unique<LiveChannel>(kQueuedBytesPerWorker));
    w->set_live_output(live.back().get());
  }
  std::vector<Status> results(workers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers.size(); ++i) {
    threads.emplace_back([&, i] {
      Status st;
      try {
        st = workers[i]->ReadInput();
        if (st.ok() && ctx_->canceled()) st = CanceledFault().ToStatus();
        if (st.ok()) st = workers[i]->ProduceOutput(PartitionPlan{});
      } catch (const std::exception& e) {
        st = Status::Internal(std::string("worker failed: ") + e.what());
      } catch (...) {
        st = Status::Internal("worker failed with an unknown exception");
      }
      if (!st.ok()) ctx_->Cancel();
      results[i] = st;
      live[i]->Close(st);
    });
  }
  // Rows in worker order (for a table scan: time order), each worker's as soon as they exist.
  Status consumed;
  for (size_t i = 0; i < live.size() && consumed.ok(); ++i) {
    Frame f;
    while (true) {
      Result<bool> more = live[i]->Pop(&f);
      if (!more.ok()) {
        consumed = more.status();
        break;
      }
      if (!*more) break;
      result->result_rows += f.num_rows;
      consumed = sink->Consume(f);
      if (!consumed.ok()) break;
    }
  }
  if (!consumed.ok()) {
    ctx_->Cancel();
    for (auto& l : live) l->Abort();
  }
  for (auto& t : threads) t.join();
  for (const auto& w : workers) w->set_live_output(nullptr);
  // The root cause: a worker's own failure, else the consumer's, else a cancellation.
  Status first;
  for (const Status& st : results) {
    if (st.ok()) continue;
    if (first.ok() || (first.code() == StatusCode::kCanceled && st.code() != StatusCode::kCanceled)) first = st;
  }
  if (!first.ok() && first.code() != StatusCode::kCanceled) return first;
  if (!consumed.ok()) return consumed;
  if (!first.ok()) return first;
  return ctx_->canceled() ? CanceledFault().ToStatus() : Status::OK();
}

Result<ControllerResult> Controller::Run(ResultSink* sink) {
  const QueryDefinition& query = ctx_->query();
  ControllerResult result;
  bool streamed = false;
  for (const StageDefinition& stage : query.stages) {
    int n = stage.stage_number;
    auto fail = [&](Status s) -> Status {
      SetPhase(n, "FAILED");
      std::lock_guard<std::mutex> lock(mu_);
      failed_stage_ = n;
      int64_t now = base::NowMillis();
      for (auto& w : workers_) {
        if (w.state == "RUNNING") {
          w.state = "FAILED";
          w.end_time = now;
        }
      }
      return s;
    };
    if (ctx_->canceled()) return fail(CanceledFault().ToStatus());
    Result<std::vector<WorkOrder>> orders = PlanWorkOrders(stage);
    if (!orders.ok()) return fail(orders.status());
    std::vector<std::shared_ptr<StageWorker>> workers;
    for (size_t w = 0; w < orders->size(); ++w) {
      workers.push_back(std::make_shared<StageWorker>(ctx_.get(), &stage, static_cast<int>(w), std::move((*orders)[w]), &outputs_));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stages_[n].worker_count = static_cast<int>(workers.size());
      int64_t now = base::NowMillis();
      for (size_t w = 0; w < workers.size() && w < workers_.size(); ++w) {
        if (workers_[w].state.empty()) {
          workers_[w].state = "RUNNING";
          workers_[w].start_time = now;
        }
      }
    }
    bool stream = n == query.final_stage() && !stage.segment_generator && sink != nullptr &&
                  stage.shuffle.kind == ShuffleSpec::Kind::kNone;
    if (stream) {
      // The final stage's rows go to the sink while the workers make them.
      SetPhase(n, "READING_INPUT");
      Status s = StreamFinalStage(workers, sink, &result);
      if (!s.ok()) return fail(s);
      {
        std::lock_guard<std::mutex> lock(mu_);
        stages_[n].partition_count = 1;
      }
      outputs_[n] = workers;
      streamed = true;
      break;
    }
    SetPhase(n, "READING_INPUT");
    Status s = RunOnWorkers(workers, [](StageWorker& w) { return w.ReadInput(); });
    // Workers stop early when the query is canceled (their pipelines report done()).
    if (s.ok() && ctx_->canceled()) s = CanceledFault().ToStatus();
    if (!s.ok()) return fail(s);
    Result<PartitionPlan> plan = PlanPartitions(stage, workers);
    if (!plan.ok()) return fail(plan.status());
    SetPhase(n, "POST_READING");
    s = RunOnWorkers(workers, [&](StageWorker& w) { return w.ProduceOutput(*plan); });
    if (!s.ok()) return fail(s);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stages_[n].partition_count = stage.segment_generator ? 0 : plan->num_partitions;
    }
    for (const auto& w : workers) {
      for (const auto& seg : w->segments()) result.segments.push_back(seg);
    }
    if (stage.segment_generator) {
      std::lock_guard<std::mutex> lock(mu_);
      stages_[n].partition_count = static_cast<int>(result.segments.size());
    }
    outputs_[n] = workers;
    SetPhase(n, "RESULTS_READY");
    // Upstream stages whose outputs every later stage has consumed can be released.
    for (const auto& in : stage.inputs) {
      if (in.kind != InputSpec::Kind::kStage) continue;
      bool needed_later = false;
      for (int later = n + 1; later < static_cast<int>(query.stages.size()); ++later) {
        for (const auto& lin : query.stages[later].inputs) needed_later |= lin.kind == InputSpec::Kind::kStage && lin.stage == in.stage;
      }
      if (!needed_later) {
        for (auto& w : outputs_[in.stage]) w->ReleaseOutput();
        SetPhase(in.stage, "FINISHED");
      }
    }
  }
  if (ctx_->canceled()) return CanceledFault().ToStatus();
  // Deliver the final stage's output.
  int final_stage = query.final_stage();
  const StageDefinition& last = query.stages[final_stage];
  if (!last.segment_generator && sink != nullptr && !streamed) {
    auto& workers = outputs_[final_stage];
    int partitions = workers.empty() ? 0 : workers[0]->num_partitions();
    for (int p = 0; p < partitions; ++p) {
      Result<std::unique_ptr<FrameReader>> reader = OpenStagePartition(last, workers, p);
      if (!reader.ok()) return reader.status();
      Frame f;
      while (true) {
        RETURN_IF_ERROR(ctx_->CheckCanceled());
        Result<bool> more = (*reader)->Next(&f);
        if (!more.ok()) return more.status();
        if (!*more) break;
        result.result_rows += f.num_rows;
        RETURN_IF_ERROR(sink->Consume(f));
      }
    }
  }
  for (auto& [stage, workers] : outputs_) {
    for (auto& w : workers) w->ReleaseOutput();
  }
  SetPhase(final_stage, "FINISHED");
  for (size_t i = 0; i < query.stages.size(); ++i) SetPhase(static_cast<int>(i), "FINISHED");
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = base::NowMillis();
    for (auto& w : workers_) {
      if (w.state == "RUNNING") {
        w.state = "SUCCESS";
        w.end_time = now;
      }
    }
  }
  return result;
}

}  // namespace strata::engine
