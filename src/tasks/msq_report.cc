#include "tasks/msq_report.h"

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "types/time.h"

namespace strata::tasks {

using nlohmann::ordered_json;

std::string BuildMsqReport(const ReportInput& in) {
  int64_t now = base::NowMillis();
  ordered_json status;
  status["status"] = in.status;
  if (in.error) status["errorReport"] = ordered_json::parse(in.error->ToJson());
  if (!in.snapshot.warnings.empty()) {
    ordered_json warnings = ordered_json::array();
    for (const auto& w : in.snapshot.warnings) warnings.push_back(ordered_json::parse(w.ToJson()));
    status["warnings"] = warnings;
  }
  if (in.start_time > 0) status["startTime"] = types::FormatIso8601(in.start_time);
  status["durationMs"] = in.start_time > 0 ? (in.duration_ms >= 0 ? in.duration_ms : now - in.start_time) : -1;
  ordered_json workers = ordered_json::object();
  int running_workers = 0;
  for (size_t w = 0; w < in.snapshot.workers.size(); ++w) {
    const auto& ws = in.snapshot.workers[w];
    if (ws.state.empty()) continue;
    if (ws.state == "RUNNING") ++running_workers;
    ordered_json entry = {{"workerId", in.task_id + "-worker" + std::to_string(w) + "_0"},
                          {"state", ws.state},
                          {"durationMs", ws.end_time > 0 ? ws.end_time - ws.start_time : -1},
                          {"pendingMs", 0}};
    workers[std::to_string(w)] = ordered_json::array({entry});
  }
  status["workers"] = workers;
  status["pendingTasks"] = 0;
  status["runningTasks"] = in.running ? 1 + running_workers : 1 + static_cast<int>(workers.size());
  if (in.ingestion && in.total_segments >= 0) {
    status["segmentLoadWaiterStatus"] = {{"state", "SUCCESS"},
                                         {"dataSource", in.datasource},
                                         {"startTime", types::FormatIso8601(in.start_time + std::max<int64_t>(0, in.duration_ms))},
                                         {"duration", 0},
                                         {"totalSegments", in.total_segments},
                                         {"usedSegments", in.total_segments},
                                         {"precachedSegments", in.total_segments},
                                         {"onDemandSegments", 0},
                                         {"pendingSegments", 0},
                                         {"unknownSegments", 0}};
  }
  if (in.ingestion) {
    status["segmentReport"] = {{"shardSpec", in.shard_spec}, {"details", in.shard_spec_details}};
  }

  ordered_json stages = ordered_json::array();
  if (in.query) {
    for (const auto& s : in.query->stages) {
      ordered_json stage;
      stage["stageNumber"] = s.stage_number;
      stage["definition"] = ordered_json::parse(engine::StageDefinitionToJson(s));
      if (static_cast<size_t>(s.stage_number) < in.snapshot.stages.size()) {
        const auto& st = in.snapshot.stages[s.stage_number];
        if (!st.phase.empty()) {
          stage["phase"] = st.phase;
          if (st.worker_count > 0) stage["workerCount"] = st.worker_count;
          if (st.partition_count > 0) stage["partitionCount"] = st.partition_count;
          if (s.shuffle.kind != engine::ShuffleSpec::Kind::kNone) stage["sort"] = true;
          stage["startTime"] = types::FormatIso8601(st.start_time);
          int64_t end = st.end_time > 0 ? st.end_time : now;
          stage["duration"] = end - st.start_time;
        }
      }
      stages.push_back(std::move(stage));
    }
  }
  ordered_json payload;
  payload["status"] = status;
  payload["stages"] = stages;
  payload["counters"] = ordered_json::parse(in.snapshot.counters_json.empty() ? "{}" : in.snapshot.counters_json);
  if (!in.results_json.empty()) payload["results"] = ordered_json::parse(in.results_json);
  ordered_json report;
  report["multiStageQuery"] = {{"type", "multiStageQuery"}, {"taskId", in.task_id}, {"payload", payload}};
  return report.dump();
}

}  // namespace strata::tasks
