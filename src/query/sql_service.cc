#include "query/sql_service.h"

#include <thread>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/ids.h"
#include "base/logging.h"
#include "types/number_format.h"

namespace strata::query {

namespace {

Status BadRequest(const std::string& message) { return Status::InvalidInput(message).WithErrorCode("invalidInput"); }

Result<sql::SqlParameter> ParseParameter(const nlohmann::json& p, size_t index) {
  if (!p.is_object()) return BadRequest("Parameter at position [" + std::to_string(index) + "] must be an object");
  std::string type_name = p.value("type", "VARCHAR");
  Result<types::SqlType> type = types::ParseSqlType(type_name);
  if (!type.ok()) return BadRequest("Parameter at position [" + std::to_string(index) + "] has unknown type [" + type_name + "]");
  sql::SqlParameter out;
  out.type = *type;
  const nlohmann::json& v = p.contains("value") ? p["value"] : nlohmann::json();
  if (v.is_null()) out.value = types::Value::Null();
  else if (v.is_boolean()) out.value = types::Value::Long(v.get<bool>() ? 1 : 0);
  else if (v.is_number_integer()) out.value = types::Value::Long(v.get<int64_t>());
  else if (v.is_number()) out.value = types::Value::Double(v.get<double>());
  else if (v.is_string()) out.value = types::Value::String(v.get<std::string>());
  else out.value = types::Value::String(v.dump());
  // VARCHAR values used where numbers are expected are coerced by the binder's comparisons;
  // numeric types given as strings are converted here, as Druid does.
  if (out.value.is_string() && out.type.is_numeric()) {
    double d;
    int64_t l;
    if (types::ParseLongStrict(out.value.string_value(), &l)) out.value = types::Value::Long(l);
    else if (types::ParseDoubleStrict(out.value.string_value(), &d)) out.value = types::Value::Double(d);
  }
  return out;
}

// Delivers result frames to a ResultWriter, starting the response on the first frame.
class StreamingSink : public engine::ResultSink {
 public:
  StreamingSink(ResultWriter* writer, ResultStream* out) : writer_(writer), out_(out) {}
  Status Start() {
    if (started_) return Status::OK();
    started_ = true;
    RETURN_IF_ERROR(out_->begin());
    return writer_->Begin();
  }
  Status Consume(const columnar::Frame& frame) override {
    RETURN_IF_ERROR(Start());
    return writer_->WriteFrame(frame);
  }
  bool started() const { return started_; }

 private:
  ResultWriter* writer_;
  ResultStream* out_;
  bool started_ = false;
};

}  // namespace

Result<SqlRequest> ParseSqlRequest(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return BadRequest("Malformed SQL request: the body is not valid JSON");
  if (!j.is_object()) return BadRequest("Malformed SQL request: expected a JSON object");
  SqlRequest r;
  if (!j.contains("query") || !j["query"].is_string()) return BadRequest("Malformed SQL request: missing required field [query]");
  r.query = j["query"].get<std::string>();
  if (j.contains("resultFormat") && !j["resultFormat"].is_null()) {
    if (!j["resultFormat"].is_string()) return BadRequest("Malformed SQL request: [resultFormat] must be a string");
    r.result_format_name = j["resultFormat"].get<std::string>();
    ASSIGN_OR_RETURN(r.result.format, ParseResultFormat(r.result_format_name));
  }
  auto flag = [&](const char* key, bool* out) -> Status {
    if (!j.contains(key) || j[key].is_null()) return Status::OK();
    if (!j[key].is_boolean()) return BadRequest(std::string("Malformed SQL request: [") + key + "] must be a boolean");
    *out = j[key].get<bool>();
    return Status::OK();
  };
  RETURN_IF_ERROR(flag("header", &r.result.header));
  RETURN_IF_ERROR(flag("typesHeader", &r.result.types_header));
  RETURN_IF_ERROR(flag("sqlTypesHeader", &r.result.sql_types_header));
  if (j.contains("context") && !j["context"].is_null()) {
    if (!j["context"].is_object()) return BadRequest("Malformed SQL request: [context] must be an object");
    ASSIGN_OR_RETURN(r.context, sql::QueryContext::FromJson(j["context"].dump()));
  }
  if (j.contains("parameters") && !j["parameters"].is_null()) {
    if (!j["parameters"].is_array()) return BadRequest("Malformed SQL request: [parameters] must be an array");
    for (size_t i = 0; i < j["parameters"].size(); ++i) {
      ASSIGN_OR_RETURN(sql::SqlParameter p, ParseParameter(j["parameters"][i], i));
      r.parameters.push_back(std::move(p));
    }
  }
  ASSIGN_OR_RETURN(r.sql_query_id, r.context.GetString("sqlQueryId", ""));
  if (r.sql_query_id.empty()) r.sql_query_id = base::RandomUuid();
  ASSIGN_OR_RETURN(r.result.stringify_arrays, r.context.GetBool("sqlStringifyArrays", true));
  return r;
}

SqlService::SqlService(SqlServiceOptions options) : options_(std::move(options)) {}

Result<sql::PlannedStatement> SqlService::Plan(const SqlRequest& request, bool as_task) {
  SystemCatalog catalog(options_.catalog, options_.metadata, options_.server, !as_task);
  sql::StatementRequest sr;
  sr.sql = request.query;
  sr.context = request.context;
  sr.parameters = request.parameters;
  sr.query_id = request.sql_query_id;
  sr.now_millis = base::NowMillis();
  sr.as_task = as_task;
  sr.run_query = [this, &request](const engine::QueryDefinition& query) { return RunToFrames(query, request); };
  return sql::PlanStatement(sr, &catalog);
}

Result<std::vector<columnar::Frame>> SqlService::RunToFrames(const engine::QueryDefinition& query, const SqlRequest& request) {
  // A sink that keeps the rows.
  struct Collect : engine::ResultSink {
    std::vector<columnar::Frame> frames;
    Status Consume(const columnar::Frame& frame) override {
      frames.push_back(frame);
      return Status::OK();
    }
  } sink;
  engine::ExecutionOptions exec;
  exec.max_num_tasks = static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + 1;
  exec.worker_memory_bytes = options_.worker_memory_bytes;
  exec.temp_dir = io::JoinPath(options_.temp_dir, "query-" + query.query_id + "-" + base::RandomLetters(6));
  exec.task_id = request.sql_query_id;
  exec.host = options_.server.host + ":" + std::to_string(options_.server.port);
  auto plan = std::make_shared<engine::QueryDefinition>(query);
  auto ctx = std::make_shared<engine::ExecutionContext>(plan, exec, options_.fs, options_.segment_cache, nullptr, nullptr);
  engine::Controller controller(ctx);
  Result<engine::ControllerResult> result = controller.Run(&sink);
  options_.fs->DeleteRecursively(exec.temp_dir);
  if (!result.ok()) return result.status();
  return std::move(sink.frames);
}

Status SqlService::Execute(const SqlRequest& request, const sql::PlannedStatement& statement, ResultStream* out) {
  ResultOptions options = request.result;
  options.time_zone = statement.settings.time_zone;
  ResultWriter writer(statement.result_fields, options, out->write);
  if (statement.type == sql::StatementType::kExplain) {
    RETURN_IF_ERROR(out->begin());
    RETURN_IF_ERROR(writer.Begin());
    RETURN_IF_ERROR(writer.WriteValues(statement.explain_row));
    return writer.End();
  }
  if (statement.type != sql::StatementType::kSelect) {
    return Status::InvalidInput(
               "INSERT and REPLACE statements run as tasks: submit them to /druid/v2/sql/task (or /druid/v2/sql/statements)")
        .WithErrorCode("invalidInput");
  }
  // At most max_concurrent_queries at once: more are turned away, not queued (429).
  int running = ++running_count_;
  struct Release {
    std::atomic<int>* count;
    ~Release() { --*count; }
  } release{&running_count_};
  if (options_.max_concurrent_queries > 0 && running > options_.max_concurrent_queries) {
    return Status::CapacityExceeded("Too many concurrent queries, total query capacity of [" +
                                    std::to_string(options_.max_concurrent_queries) +
                                    "] exceeded. Please try your query again later.")
        .WithErrorCode("capacityExceeded");
  }
  ASSIGN_OR_RETURN(int64_t timeout_millis, statement.context.GetLong("timeout", options_.default_timeout_millis));
  if (timeout_millis < 0) {
    return Status::InvalidInput("Timeout must be a non negative value, but was [" + std::to_string(timeout_millis) + "]")
        .WithErrorCode("invalidInput");
  }
  engine::ExecutionOptions exec;
  int64_t default_tasks = static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency())) + 1;
  ASSIGN_OR_RETURN(int64_t max_num_tasks, statement.context.GetLong("maxNumTasks", default_tasks));
  exec.max_num_tasks = static_cast<int>(std::max<int64_t>(2, max_num_tasks));
  exec.worker_memory_bytes = options_.worker_memory_bytes;
  exec.temp_dir = io::JoinPath(options_.temp_dir, "query-" + request.sql_query_id + "-" + base::RandomLetters(6));
  exec.task_id = request.sql_query_id;
  exec.host = options_.server.host + ":" + std::to_string(options_.server.port);
  auto ctx = std::make_shared<engine::ExecutionContext>(statement.query, exec, options_.fs, options_.segment_cache, nullptr, nullptr);
  auto controller = std::make_shared<engine::Controller>(ctx);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_[request.sql_query_id] = controller;
  }
  StreamingSink sink(&writer, out);
  // The timeout (0: none) cancels the query; the cancellation is then reported as a timeout.
  auto timed_out = std::make_shared<std::atomic<bool>>(false);
  int64_t deadline_handle = 0;
  if (timeout_millis > 0) {
    deadline_handle = deadlines_.Add(base::NowMillis() + timeout_millis, [controller, timed_out] {
      *timed_out = true;
      controller->Cancel();
    });
  }
  Result<engine::ControllerResult> result = controller->Run(&sink);
  if (deadline_handle != 0) deadlines_.Remove(deadline_handle);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(request.sql_query_id);
  }
  options_.fs->DeleteRecursively(exec.temp_dir);
  if (!result.ok()) {
    Status s = result.status();
    if (s.code() == StatusCode::kCanceled && timed_out->load()) {
      return Status::Timeout("Query [" + request.sql_query_id + "] timed out.").WithErrorCode("timeout");
    }
    if (s.code() == StatusCode::kCanceled) {
      return Status::Canceled("Query [" + request.sql_query_id + "] was canceled").WithErrorCode("canceled");
    }
    return s;
  }
  RETURN_IF_ERROR(sink.Start());
  return writer.End();
}

Status SqlService::Cancel(const std::string& sql_query_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(sql_query_id);
  if (it == running_.end()) return Status::NotFound("Query [" + sql_query_id + "] is not running");
  it->second->Cancel();
  return Status::OK();
}

}  // namespace strata::query
