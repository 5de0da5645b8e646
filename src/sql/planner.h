// Planner: logical plan -> engine::QueryDefinition (the stage graph). One planner for every front
// door: interactive SELECTs, SELECTs run as tasks, and INSERT/REPLACE ingestion.
//
// Stages are cut where rows must move between workers: after a partial aggregation (hash shuffle
// on the group keys), before a global ORDER BY / LIMIT (sorted shuffle into one worker), between
// UNION ALL branches, and — for ingestion — before segment generation (sorted shuffle by time
// chunk and CLUSTERED BY key).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/query_definition.h"
#include "sql/logical_plan.h"
#include "types/granularity.h"
#include "types/interval.h"

namespace strata::sql {

struct PlannerOptions {
  std::string query_id;
  int max_num_tasks = 2;  // workers per stage = max_num_tasks - 1
  engine::EvalContext eval_context;
  /// Extra native context entries echoed in stage definitions (sqlQueryId, ...), JSON object.
  std::string native_context_json = "{}";
  /// sqlJoinAlgorithm: "broadcast" (the right input is read whole by every worker of the left
  /// one) or "sortMerge" (both inputs hash-partitioned on the keys, joined partition by
  /// partition; Strata hashes rather than sorts, with the same results).
  std::string join_algorithm = "broadcast";
};

struct IngestTarget {
  std::string datasource;
  types::Granularity segment_granularity = types::Granularity::All();
  std::string segment_granularity_text;  // as written, for reports
  /// CLUSTERED BY: indexes into the root's fields.
  std::vector<int> cluster_columns;
  /// REPLACE OVERWRITE WHERE intervals (absent for INSERT and OVERWRITE ALL).
  std::optional<std::vector<types::Interval>> replace_intervals;
  bool replace = false;
  int64_t rows_per_segment = 3000000;
  /// Index of __time in the root's fields, or -1 (then every row is stored at the epoch).
  int time_column = -1;
  /// Root fields that hold aggregated values (rollup metrics).
  std::vector<bool> metric_columns;
  bool rollup = false;
  /// Context arrayIngestMode: "array" (ARRAY columns), "mvd" (string arrays become multi-value
  /// strings in their order; numeric arrays are an error) or "none" (arrays are an error).
  std::string array_ingest_mode = "array";
};

/// Plans a query whose final stage produces the rows of `root`.
Result<engine::QueryDefinition> PlanQuery(const LogicalNode& root, const PlannerOptions& options);
/// Plans an ingestion writing the rows of `root` into segments of `target`.
Result<engine::QueryDefinition> PlanIngest(const LogicalNode& root, const IngestTarget& target,
                                           const PlannerOptions& options);

/// __time bounds implied by a predicate over `time_column` (conjuncts of comparisons with
/// literals); Eternity when there are none.
types::Interval TimeBoundsOf(const engine::ExprPtr& predicate, int time_column);

}  // namespace strata::sql
