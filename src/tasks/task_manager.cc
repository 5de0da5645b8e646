#include "tasks/task_manager.h"

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/logging.h"
#include "engine/controller.h"
#include "tasks/msq_report.h"
#include "tasks/segment_publisher.h"
#include "types/number_format.h"

namespace strata::tasks {

using nlohmann::ordered_json;

namespace {

// Collects SELECT results for the report: native values (timestamps as millis).
class ReportResultSink : public engine::ResultSink {
 public:
  Status Consume(const columnar::Frame& frame) override {
    for (int64_t r = 0; r < frame.num_rows; ++r) {
      ordered_json row = ordered_json::array();
      for (int c = 0; c < frame.num_columns(); ++c) row.push_back(ToJson(columnar::GetValue(frame.column(c), r), frame.column(c).type));
      rows_.push_back(std::move(row));
    }
    return Status::OK();
  }
  ordered_json rows() const { return rows_; }

 private:
  static ordered_json ToJson(const types::Value& v, types::ColumnType type) {
    switch (v.kind()) {
      case types::Value::Kind::kNull: return nullptr;
      case types::Value::Kind::kLong: return v.long_value();
      case types::Value::Kind::kDouble:
        if (type == types::ColumnType::kFloat) return static_cast<double>(static_cast<float>(v.double_value()));
        return v.double_value();
      case types::Value::Kind::kString: return v.string_value();
      case types::Value::Kind::kArray: {
        ordered_json a = ordered_json::array();
        for (const auto& e : v.array_value()) a.push_back(ToJson(e, types::ElementType(type)));
        return a;
      }
    }
    return nullptr;
  }
  ordered_json rows_ = ordered_json::array();
};

std::string DestinationJson(const sql::PlannedStatement& st) {
  if (st.type == sql::StatementType::kSelect) return R"({"type":"taskReport"})";
  ordered_json chunks = ordered_json::array();
  if (st.type == sql::StatementType::kReplace) {
    if (st.replace_intervals) {
      for (const auto& iv : *st.replace_intervals) chunks.push_back(iv.ToString());
    } else {
      chunks.push_back(types::Interval::Eternity().ToString());
    }
  }
  ordered_json d = {{"type", "dataSource"},
                    {"dataSource", st.datasource},
                    {"segmentGranularity", ordered_json::parse(st.segment_granularity_json)}};
  if (st.type == sql::StatementType::kReplace) d["replaceTimeChunks"] = chunks;
  return d.dump();
}

}  // namespace

struct TaskManager::RunningTask {
  std::string id;
  std::string sql;
  sql::PlannedStatement statement;
  int64_t created_time = 0;
  std::unique_ptr<SegmentPublisher> publisher;
  std::shared_ptr<engine::ExecutionContext> context;
  std::shared_ptr<engine::Controller> controller;
  int64_t start_time = 0;
  std::mutex mu;
  std::string final_report GUARDED_BY(mu);
  bool finished GUARDED_BY(mu) = false;
};

TaskManager::TaskManager(TaskServices services) : services_(std::move(services)) {}

TaskManager::~TaskManager() { StopAll(); }

Status TaskManager::Recover() {
  metadata::TaskFilter filter;
  filter.complete = false;
  ASSIGN_OR_RETURN(auto tasks, services_.metadata->ListTasks(filter));
  for (const auto& t : tasks) {
    std::string message =
        "UnknownError: The Strata process stopped while this task was running; its work was discarded and nothing "
        "was published.";
    int64_t duration = std::max<int64_t>(0, base::NowMillis() - t.created_time);
    ASSIGN_OR_RETURN(auto report, services_.metadata->GetTaskReport(t.id));
    if (!report) {
      ReportInput in;
      in.task_id = t.id;
      in.status = "FAILED";
      in.start_time = t.created_time;
      in.duration_ms = duration;
      in.error = engine::ErrorReport{t.id, services_.host + ":" + std::to_string(services_.port), std::nullopt,
                                     engine::UnknownFault(message.substr(std::string("UnknownError: ").size()))};
      RETURN_IF_ERROR(services_.metadata->SetTaskReport(t.id, BuildMsqReport(in)));
    }
    RETURN_IF_ERROR(services_.metadata->UpdateTaskStatus(t.id, "FAILED", duration, message));
    LOG_WARN("task {} was running when the process stopped; marked FAILED", t.id);
  }
  return Status::OK();
}

Status TaskManager::SubmitQueryTask(const std::string& task_id, const std::string& sql, sql::PlannedStatement statement) {
  auto task = std::make_shared<RunningTask>();
  task->id = task_id;
  task->sql = sql;
  task->statement = std::move(statement);
  task->created_time = base::NowMillis();
  const sql::PlannedStatement& st = task->statement;

  metadata::TaskRecord record;
  record.id = task_id;
  record.group_id = task_id;
  record.type = "query_controller";
  record.datasource = st.type == sql::StatementType::kSelect ? "__query_select" : st.datasource;
  record.created_time = task->created_time;
  record.status = "RUNNING";
  record.duration = -1;
  record.location_host = services_.host;
  record.location_port = services_.port;
  // Task payload (GET /druid/indexer/v1/task/{id}).
  ordered_json sql_types = ordered_json::array(), native_types = ordered_json::array(), mappings = ordered_json::array();
  for (const auto& f : st.result_fields) {
    sql_types.push_back(f.type.HeaderName());
    native_types.push_back(std::string(types::NativeTypeName(f.native)));
    mappings.push_back({{"queryColumn", f.name}, {"outputColumn", f.name}});
  }
  ordered_json context = ordered_json::parse(st.context.ToJson());
  // As Druid: the SQL context plus what the planner adds.
  context["sqlQueryId"] = task_id.rfind("query-", 0) == 0 ? task_id.substr(6) : task_id;
  if (st.type != sql::StatementType::kSelect) context["sqlInsertSegmentGranularity"] = st.segment_granularity_json;
  if (st.type == sql::StatementType::kReplace) {
    std::string chunks = "all";
    if (st.replace_intervals) {
      chunks.clear();
      for (size_t i = 0; i < st.replace_intervals->size(); ++i) chunks += (i ? "," : "") + (*st.replace_intervals)[i].ToString();
    }
    context["sqlReplaceTimeChunks"] = chunks;
  }
  ordered_json task_context = context;
  task_context["forceTimeChunkLock"] = true;
  task_context["useLineageBasedSegmentAllocation"] = true;
  ordered_json native_query = ordered_json::object();
  if (st.query && !st.query->stages.empty()) {
    ordered_json first = ordered_json::parse(st.query->stages[0].processor_json.empty() ? "{}" : st.query->stages[0].processor_json);
    if (first.contains("query")) native_query = first["query"];
  }
  ASSIGN_OR_RETURN(int64_t max_num_tasks, st.context.GetLong("maxNumTasks", 2));
  ASSIGN_OR_RETURN(int64_t rows_per_segment, st.context.GetLong("rowsPerSegment", 3000000));
  ordered_json payload = {
      {"type", "query_controller"},
      {"id", task_id},
      {"spec",
       {{"query", native_query},
        {"columnMappings", mappings},
        {"destination", ordered_json::parse(DestinationJson(st))},
        {"assignmentStrategy", "max"},
        {"tuningConfig", {{"maxNumWorkers", max_num_tasks - 1}, {"maxRowsInMemory", 100000}, {"rowsPerSegment", rows_per_segment}}}}},
      {"sqlQuery", sql},
      {"sqlQueryContext", context},
      {"sqlResultsContext", {{"timeZone", st.settings.time_zone_name}, {"serializeComplexValues", true}, {"stringifyArrays", true}}},
      {"sqlTypeNames", sql_types},
      {"nativeTypeNames", native_types},
      {"context", task_context},
      {"groupId", task_id},
      {"dataSource", record.datasource},
      {"resource", {{"availabilityGroup", task_id}, {"requiredCapacity", 1}}}};
  record.payload = payload.dump();
  RETURN_IF_ERROR(services_.metadata->InsertTask(record));

  engine::ExecutionOptions options;
  options.max_num_tasks = static_cast<int>(max_num_tasks);
  ASSIGN_OR_RETURN(options.max_parse_exceptions, st.context.GetLong("maxParseExceptions", 0));
  options.worker_memory_bytes = services_.worker_memory_bytes;
  options.temp_dir = io::JoinPath(services_.temp_dir, task_id);
  options.task_id = task_id;
  options.host = services_.host + ":" + std::to_string(services_.port);
  if (st.type != sql::StatementType::kSelect) {
    PublishSpec spec{st.datasource, st.type == sql::StatementType::kReplace, st.replace_intervals, st.segment_granularity};
    for (const auto& stage : st.query->stages) {
      if (!stage.segment_generator) continue;
      spec.range_shards = !stage.segment_generator->range_shard_columns.empty();
      spec.shard_spec_reason = stage.segment_generator->shard_spec_reason;
    }
    Result<std::unique_ptr<SegmentPublisher>> p =
        SegmentPublisher::Create(services_.catalog, services_.metadata, spec, task->created_time);
    if (!p.ok()) {
      services_.metadata->UpdateTaskStatus(task_id, "FAILED", 0, engine::Fault::FromStatus(p.status()).ErrorMsg());
      return p.status();
    }
    task->publisher = std::move(*p);
  }
  task->context = std::make_shared<engine::ExecutionContext>(st.query, options, services_.fs, services_.segment_cache,
                                                             services_.deep_storage, task->publisher.get());
  task->controller = std::make_shared<engine::Controller>(task->context);
  std::lock_guard<std::mutex> lock(mu_);
  running_[task_id] = task;
  std::thread([this, task] { Run(task); }).detach();
  return Status::OK();
}

std::string TaskManager::LiveReport(RunningTask& task) {
  ReportInput in;
  in.task_id = task.id;
  in.status = "RUNNING";
  in.running = true;
  in.start_time = task.start_time;
  in.query = task.statement.query.get();
  in.snapshot = task.controller->Snapshot();
  in.max_num_tasks = task.context->options().max_num_tasks;
  in.ingestion = task.statement.type != sql::StatementType::kSelect;
  in.datasource = task.statement.datasource;
  if (task.publisher) {
    SegmentReport sr = task.publisher->segment_report();
    in.shard_spec = sr.shard_spec;
    in.shard_spec_details = sr.details;
  }
  return BuildMsqReport(in);
}

void TaskManager::Run(std::shared_ptr<RunningTask> task) {
  task->start_time = base::NowMillis();
  const sql::PlannedStatement& st = task->statement;
  bool ingestion = st.type != sql::StatementType::kSelect;
  Status status;
  SegmentPublisher* publisher = task->publisher.get();
  ReportResultSink results;
  engine::ControllerResult controller_result;
  int64_t published = -1;
  try {
    {
      Result<engine::ControllerResult> r = task->controller->Run(ingestion ? nullptr : &results);
      if (r.ok()) controller_result = std::move(*r);
      else status = r.status();
    }
    if (status.ok() && ingestion) {
      Result<bool> fail_on_empty = st.context.GetBool("failOnEmptyInsert", false);
      if (controller_result.segments.empty() && fail_on_empty.ok() && *fail_on_empty) {
        status = engine::InsertCannotBeEmptyFault(st.datasource).ToStatus();
      } else if (task->context->canceled()) {
        status = engine::CanceledFault().ToStatus();
      } else {
        Result<std::vector<metadata::SegmentRecord>> records = publisher->Publish(controller_result.segments);
        if (records.ok()) published = static_cast<int64_t>(records->size());
        else status = records.status();
      }
    }
  } catch (const std::exception& e) {
    status = Status::Internal(std::string("task failed: ") + e.what());
  } catch (...) {
    status = Status::Internal("task failed with an unknown exception");
  }
  if (!status.ok() && ingestion) {
    // Nothing was published: remove what the workers pushed.
    for (const auto& s : controller_result.segments) services_.deep_storage->Remove(s.id);
  }
  int64_t end = base::NowMillis();
  ReportInput in;
  in.task_id = task->id;
  in.status = status.ok() ? "SUCCESS" : "FAILED";
  in.start_time = task->start_time;
  in.duration_ms = end - task->start_time;
  in.query = st.query.get();
  in.snapshot = task->controller->Snapshot();
  in.max_num_tasks = task->context->options().max_num_tasks;
  in.ingestion = ingestion;
  in.datasource = st.datasource;
  in.total_segments = published;
  if (publisher) {
    SegmentReport sr = publisher->segment_report();
    in.shard_spec = sr.shard_spec;
    in.shard_spec_details = sr.details;
  }
  std::optional<std::string> error_msg;
  if (!status.ok()) {
    engine::Fault fault = engine::Fault::FromStatus(status);
    std::optional<int> stage = task->controller->failed_stage();
    bool from_worker = fault.code == "CannotParseExternalData" || fault.code == "TooManyWarnings" ||
                       fault.code == "InsertTimeNull" || fault.code == "InsertTimeOutOfBounds";
    in.error = engine::ErrorReport{from_worker ? task->context->WorkerId(0) : task->id,
                                   services_.host + ":" + std::to_string(services_.port), stage, fault};
    error_msg = fault.ErrorMsg();
    LOG_WARN("task {} failed: {}", task->id, *error_msg);
  } else {
    LOG_INFO("task {} succeeded in {} ms", task->id, end - task->start_time);
  }
  if (!ingestion && status.ok()) {
    ordered_json sig = ordered_json::array(), sql_types = ordered_json::array();
    for (const auto& f : st.result_fields) {
      sig.push_back({{"name", f.name}, {"type", std::string(types::NativeTypeName(f.native))}});
      sql_types.push_back(f.type.HeaderName());
    }
    ordered_json res = {{"signature", sig}, {"sqlTypeNames", sql_types}, {"results", results.rows()}, {"resultsTruncated", false}};
    in.results_json = res.dump();
  }
  std::string report = BuildMsqReport(in);
  {
    // Final before the status changes: a client that sees SUCCESS/FAILED and then asks for the
    // report must get this one, not a last live report without the error or results.
    std::lock_guard<std::mutex> lock(task->mu);
    task->final_report = report;
    task->finished = true;
  }
  Status s = services_.metadata->SetTaskReport(task->id, report);
  if (s.ok()) s = services_.metadata->UpdateTaskStatus(task->id, status.ok() ? "SUCCESS" : "FAILED", end - task->created_time, error_msg);
  if (!s.ok()) LOG_ERROR("cannot persist the outcome of task {}: {}", task->id, s.ToString());
  services_.fs->DeleteRecursively(task->context->options().temp_dir);
  std::lock_guard<std::mutex> lock(mu_);
  running_.erase(task->id);
  done_cv_.notify_all();
}

Result<std::optional<TaskView>> TaskManager::GetTask(const std::string& id) {
  ASSIGN_OR_RETURN(auto record, services_.metadata->GetTask(id));
  if (!record) return std::optional<TaskView>();
  TaskView view{*record, record->status == "RUNNING" ? "RUNNING" : "NONE"};
  return std::optional<TaskView>(view);
}

Result<std::vector<TaskView>> TaskManager::ListTasks(const metadata::TaskFilter& filter) {
  ASSIGN_OR_RETURN(auto records, services_.metadata->ListTasks(filter));
  std::vector<TaskView> out;
  for (auto& r : records) {
    std::string runner = r.status == "RUNNING" ? "RUNNING" : "NONE";
    out.push_back(TaskView{std::move(r), runner});
  }
  return out;
}

Result<std::optional<std::string>> TaskManager::GetReport(const std::string& id) {
  std::shared_ptr<RunningTask> task;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end()) task = it->second;
  }
  if (task) {
    {
      std::lock_guard<std::mutex> lock(task->mu);
      if (task->finished) return std::optional<std::string>(task->final_report);
    }
    return std::optional<std::string>(LiveReport(*task));
  }
  return services_.metadata->GetTaskReport(id);
}

Result<std::optional<std::string>> TaskManager::GetPayload(const std::string& id) {
  ASSIGN_OR_RETURN(auto record, services_.metadata->GetTask(id));
  if (!record) return std::optional<std::string>();
  return std::optional<std::string>(record->payload);
}

Status TaskManager::Shutdown(const std::string& id) {
  std::shared_ptr<RunningTask> task;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end()) task = it->second;
  }
  if (!task) {
    ASSIGN_OR_RETURN(auto record, services_.metadata->GetTask(id));
    if (!record) return Status::NotFound("Cannot find any task with id: [" + id + "]");
    return Status::NotFound("Task [" + id + "] is not running");
  }
  LOG_INFO("shutdown requested for task {}", id);
  task->controller->Cancel();
  return Status::OK();
}

bool TaskManager::WaitFor(const std::string& id, int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return done_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return running_.count(id) == 0; });
}

void TaskManager::StopAll() {
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& [id, task] : running_) task->controller->Cancel();
  done_cv_.wait(lock, [&] { return running_.empty(); });
}

}  // namespace strata::tasks
