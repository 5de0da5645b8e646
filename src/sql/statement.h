// Statement planning: the single entry point the SQL front doors use. Parses the SQL (with SET
// prefixes), applies the context, validates INSERT/REPLACE the way Druid does (spec §2), binds
// and plans. The result says what kind of statement it is and carries the stage plan.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/query_definition.h"
#include "sql/binder.h"
#include "sql/query_context.h"
#include "types/granularity.h"
#include "types/interval.h"

namespace strata::sql {

struct SqlParameter {
  types::SqlType type;
  types::Value value;
};

struct StatementRequest {
  std::string sql;
  QueryContext context;
  std::vector<SqlParameter> parameters;
  std::string query_id;  // sqlQueryId; used for stage ids
  int64_t now_millis = 0;
  /// The statement runs as an MSQ task (INSERT/REPLACE allowed, system tables not).
  bool as_task = false;
  /// Runs a query plan to completion and returns its rows: uncorrelated subqueries in
  /// expressions (IN, EXISTS, scalar) are run while planning and their rows inlined, as Druid
  /// does. Null: such subqueries are rejected.
  std::function<Result<std::vector<columnar::Frame>>(const engine::QueryDefinition&)> run_query;
};

enum class StatementType { kSelect, kInsert, kReplace, kExplain };

struct PlannedStatement {
  StatementType type = StatementType::kSelect;
  QueryContext context;  // request context with SET statements applied
  BindSettings settings;
  std::shared_ptr<const engine::QueryDefinition> query;
  std::vector<Field> result_fields;  // SELECT / EXPLAIN output columns

  // INSERT / REPLACE
  std::string datasource;
  types::Granularity segment_granularity = types::Granularity::All();
  std::string segment_granularity_json;  // as in sqlInsertSegmentGranularity
  bool replace_all = false;
  std::optional<std::vector<types::Interval>> replace_intervals;
  std::vector<std::string> clustered_by;

  // EXPLAIN: the single result row.
  std::vector<types::Value> explain_row;
};

/// Plans `request`. Errors are InvalidInput (400) with Druid's messages; parse errors carry
/// line/column context.
Result<PlannedStatement> PlanStatement(const StatementRequest& request, SqlCatalog* catalog);

}  // namespace strata::sql
