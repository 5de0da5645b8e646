// The MSQ task report ("multiStageQuery"), live while the task runs and final afterwards, in the
// shape the seed documents and the web console read (spec §5.1-5.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/controller.h"
#include "engine/fault.h"
#include "engine/query_definition.h"

namespace strata::tasks {

struct ReportInput {
  std::string task_id;
  std::string status;        // RUNNING, SUCCESS, FAILED
  int64_t start_time = 0;    // epoch millis; 0 if not started
  int64_t duration_ms = -1;
  const engine::QueryDefinition* query = nullptr;
  engine::ControllerSnapshot snapshot;
  std::optional<engine::ErrorReport> error;
  int max_num_tasks = 2;
  bool running = false;
  // Ingestion.
  bool ingestion = false;
  std::string datasource;
  int64_t total_segments = -1;  // >= 0 once published
  std::string shard_spec = "NumberedShardSpec";
  std::string shard_spec_details;
  // SELECT results: JSON text of the "results" object (or empty).
  std::string results_json;
};

/// {"multiStageQuery": {"type": "multiStageQuery", "taskId": ..., "payload": {...}}}
std::string BuildMsqReport(const ReportInput& input);

}  // namespace strata::tasks
