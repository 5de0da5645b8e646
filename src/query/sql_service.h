// SqlService: the SQL API (/druid/v2/sql and the SQL side of /druid/v2/sql/task): parses the
// request body, plans the statement against the catalog, runs SELECTs on the engine and streams
// the result format. Running queries can be canceled by their sqlQueryId.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/thread_annotations.h"
#include "catalog/catalog.h"
#include "engine/controller.h"
#include "io/file_system.h"
#include "metadata/metadata_store.h"
#include "query/deadline_monitor.h"
#include "query/result_format.h"
#include "query/system_catalog.h"
#include "sql/statement.h"
#include "storage/segment_cache.h"

namespace strata::query {

struct SqlRequest {
  std::string query;
  ResultOptions result;  // resultFormat, header flags (time zone filled in at planning)
  std::string result_format_name = "object";
  sql::QueryContext context;
  std::vector<sql::SqlParameter> parameters;
  std::string sql_query_id;  // from context.sqlQueryId, else a fresh UUID
};

/// Parses a SQL request body ({"query", "resultFormat", "header", "typesHeader",
/// "sqlTypesHeader", "context", "parameters"}). InvalidInput naming the problem otherwise.
Result<SqlRequest> ParseSqlRequest(std::string_view body);

struct SqlServiceOptions {
  catalog::Catalog* catalog = nullptr;
  metadata::MetadataStore* metadata = nullptr;
  storage::SegmentCache* segment_cache = nullptr;
  io::FileSystem* fs = nullptr;
  std::string temp_dir;
  ServerInfo server;
  int64_t worker_memory_bytes = 512LL << 20;
  /// Queries running at once; more get 429 "Query capacity exceeded". 0: no limit.
  int max_concurrent_queries = 50;
  /// Timeout of a query whose context has none (Druid's druid.server.http.defaultQueryTimeout).
  int64_t default_timeout_millis = 300000;
};

/// Where a streamed result goes: `begin` is called once before the first byte (after planning
/// and execution have started successfully), `write` for the bytes.
struct ResultStream {
  std::function<Status()> begin;
  ByteSink write;
};

class SqlService {
 public:
  explicit SqlService(SqlServiceOptions options);

  /// Plans `request`. `as_task` plans for /druid/v2/sql/task (no system tables).
  Result<sql::PlannedStatement> Plan(const SqlRequest& request, bool as_task);
  /// Runs a planned SELECT or EXPLAIN and streams the result. Errors before `begin` was called
  /// are returned for the caller to report; later errors end the stream early.
  Status Execute(const SqlRequest& request, const sql::PlannedStatement& statement, ResultStream* out);
  /// Cancels the running query with this sqlQueryId. NotFound if none.
  Status Cancel(const std::string& sql_query_id);

 private:
  // Runs a plan (a subquery met while planning) and returns its rows.
  Result<std::vector<columnar::Frame>> RunToFrames(const engine::QueryDefinition& query, const SqlRequest& request);

  SqlServiceOptions options_;
  DeadlineMonitor deadlines_;
  std::atomic<int> running_count_{0};
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<engine::Controller>> running_ GUARDED_BY(mu_);
};

}  // namespace strata::query
