#include "http/api.h"

#include <nlohmann/json.hpp>

#include "base/logging.h"
#include "http/error_mapping.h"
#include "types/interval.h"

namespace strata::http {

using nlohmann::ordered_json;

namespace {

const Headers kJson = {{"Content-Type", "application/json"}};

void RespondJson(HttpResponder* r, int status, const ordered_json& j) { r->Respond(status, kJson, j.dump()); }

void RespondError(HttpResponder* r, const Status& s) {
  ErrorResponse e = MapError(s);
  r->Respond(e.http_status, kJson, e.json);
}

// TaskStatusPlus (spec §5.6).
ordered_json TaskStatusJson(const tasks::TaskView& v) {
  const metadata::TaskRecord& t = v.record;
  bool running = t.status == "RUNNING";
  ordered_json location = running ? ordered_json{{"host", t.location_host}, {"port", t.location_port}, {"tlsPort", -1}}
                                  : ordered_json{{"host", nullptr}, {"port", -1}, {"tlsPort", -1}};
  ordered_json j = {{"id", t.id},
                    {"groupId", t.group_id},
                    {"type", t.type},
                    {"createdTime", types::FormatIso8601(t.created_time)},
                    {"queueInsertionTime", "1970-01-01T00:00:00.000Z"},
                    {"statusCode", t.status},
                    {"status", t.status},
                    {"runnerStatusCode", v.runner_status},
                    {"duration", running ? -1 : t.duration},
                    {"location", location},
                    {"dataSource", t.datasource},
                    {"errorMsg", t.error_msg ? ordered_json(*t.error_msg) : ordered_json(nullptr)}};
  return j;
}

Headers ResultHeaders(const query::SqlRequest& req) {
  Headers h = {{"Content-Type", query::ContentType(req.result.format)}, {"X-Druid-SQL-Query-Id", req.sql_query_id}};
  if (req.result.header) h.emplace_back("X-Druid-SQL-Header-Included", "yes");
  return h;
}

// Runs a planned SELECT/EXPLAIN and streams its result.
void StreamResult(const ApiServices& s, const query::SqlRequest& req, const sql::PlannedStatement& planned, HttpResponder* r) {
  query::ResultStream stream;
  stream.begin = [&] { return r->BeginStream(200, ResultHeaders(req)); };
  stream.write = [&](std::string_view data) { return r->Write(data); };
  Status st = s.sql->Execute(req, planned, &stream);
  if (!st.ok()) {
    if (r->started()) {
      LOG_WARN("query {} failed after its response started: {}", req.sql_query_id, st.ToString());
      r->Abort();
    } else {
      ErrorResponse e = MapError(st);
      Headers h = kJson;
      h.emplace_back("X-Druid-SQL-Query-Id", req.sql_query_id);
      r->Respond(e.http_status, h, e.json);
    }
    return;
  }
  r->EndStream();
}

void HandleSql(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  Result<query::SqlRequest> parsed = query::ParseSqlRequest(req.body);
  if (!parsed.ok()) return RespondError(r, parsed.status());
  Result<sql::PlannedStatement> planned = s.sql->Plan(*parsed, false);
  if (!planned.ok()) {
    ErrorResponse e = MapError(planned.status());
    r->Respond(e.http_status, {{"Content-Type", "application/json"}, {"X-Druid-SQL-Query-Id", parsed->sql_query_id}}, e.json);
    return;
  }
  StreamResult(s, *parsed, *planned, r);
}

void HandleSqlTask(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  Result<query::SqlRequest> parsed = query::ParseSqlRequest(req.body);
  if (!parsed.ok()) return RespondError(r, parsed.status());
  Result<sql::PlannedStatement> planned = s.sql->Plan(*parsed, true);
  if (!planned.ok()) return RespondError(r, planned.status());
  if (planned->type == sql::StatementType::kExplain) return StreamResult(s, *parsed, *planned, r);
  std::string task_id = "query-" + parsed->sql_query_id;
  Status st = s.tasks->SubmitQueryTask(task_id, parsed->query, std::move(*planned));
  if (!st.ok()) return RespondError(r, st);
  RespondJson(r, 200, ordered_json{{"taskId", task_id}, {"state", "RUNNING"}});
}

void HandleTaskStatus(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  const std::string& id = req.params["id"];
  Result<std::optional<tasks::TaskView>> t = s.tasks->GetTask(id);
  if (!t.ok()) return RespondError(r, t.status());
  if (!*t) return RespondJson(r, 404, ordered_json{{"task", id}, {"status", nullptr}});
  RespondJson(r, 200, ordered_json{{"task", id}, {"status", TaskStatusJson(**t)}});
}

void HandleTaskReports(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  Result<std::optional<std::string>> report = s.tasks->GetReport(req.params["id"]);
  if (!report.ok()) return RespondError(r, report.status());
  if (!*report) {
    r->Respond(404, {{"Content-Type", "text/plain"}},
               "No task reports were found for this task. The task may not exist, or it may not have completed yet.");
    return;
  }
  r->Respond(200, kJson, **report);
}

void HandleTaskPayload(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  const std::string& id = req.params["id"];
  Result<std::optional<std::string>> payload = s.tasks->GetPayload(id);
  if (!payload.ok()) return RespondError(r, payload.status());
  if (!*payload) return RespondJson(r, 404, ordered_json{{"task", id}, {"payload", nullptr}});
  r->Respond(200, kJson, "{\"task\":" + ordered_json(id).dump() + ",\"payload\":" + **payload + "}");
}

void HandleTaskShutdown(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  const std::string& id = req.params["id"];
  Status st = s.tasks->Shutdown(id);
  if (st.code() == StatusCode::kNotFound) return RespondJson(r, 404, ordered_json{{"error", st.message()}});
  if (!st.ok()) return RespondError(r, st);
  RespondJson(r, 200, ordered_json{{"task", id}});
}

// GET /druid/indexer/v1/tasks and its variants.
void HandleTaskList(const ApiServices& s, HttpRequest& req, HttpResponder* r, const std::string& fixed_state) {
  metadata::TaskFilter filter;
  std::string state = fixed_state;
  if (state.empty() && req.HasQuery("state")) {
    state = req.query["state"];
    for (char& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (state != "running" && state != "complete" && state != "waiting" && state != "pending") {
      return RespondError(r, Status::InvalidInput("Invalid state : " + req.query["state"] +
                                                  ", valid values are: [pending, waiting, running, complete]"));
    }
  }
  if (state == "complete") filter.complete = true;
  if (state == "running") filter.complete = false;
  bool none = state == "waiting" || state == "pending";  // no task waits for locks or slots yet
  if (req.HasQuery("datasource")) filter.datasource = req.query["datasource"];
  if (req.HasQuery("type")) filter.type = req.query["type"];
  if (req.HasQuery("max")) {
    try {
      filter.max_complete = std::stoll(req.query["max"]);
    } catch (...) {
      return RespondError(r, Status::InvalidInput("Invalid value for [max]: [" + req.query["max"] + "]"));
    }
  }
  if (req.HasQuery("createdTimeInterval")) {
    Result<types::Interval> iv = types::Interval::Parse(req.query["createdTimeInterval"]);
    if (!iv.ok()) return RespondError(r, Status::InvalidInput("Invalid createdTimeInterval [" + req.query["createdTimeInterval"] + "]"));
    filter.created_after = iv->start;
    filter.created_before = iv->end;
  }
  ordered_json arr = ordered_json::array();
  if (!none) {
    Result<std::vector<tasks::TaskView>> list = s.tasks->ListTasks(filter);
    if (!list.ok()) return RespondError(r, list.status());
    for (const auto& v : *list) arr.push_back(TaskStatusJson(v));
  }
  RespondJson(r, 200, arr);
}

void HandleTaskStatuses(const ApiServices& s, HttpRequest& req, HttpResponder* r) {
  nlohmann::json ids = nlohmann::json::parse(req.body, nullptr, false);
  if (ids.is_discarded() || !ids.is_array()) return RespondError(r, Status::InvalidInput("Expected a JSON array of task ids"));
  if (ids.empty()) return RespondError(r, Status::InvalidInput("No TaskIds provided."));
  ordered_json out = ordered_json::object();
  for (const auto& id : ids) {
    if (!id.is_string()) continue;
    Result<std::optional<tasks::TaskView>> t = s.tasks->GetTask(id.get<std::string>());
    if (!t.ok()) return RespondError(r, t.status());
    if (!*t) continue;
    ordered_json full = TaskStatusJson(**t);
    out[id.get<std::string>()] = {{"id", full["id"]}, {"status", full["status"]}, {"duration", full["duration"]},
                                  {"errorMsg", full["errorMsg"]}, {"location", full["location"]}};
  }
  RespondJson(r, 200, out);
}

}  // namespace

void RegisterApi(Router* router, const ApiServices& services) {
  auto s = std::make_shared<const ApiServices>(services);  // shared by the handlers, freed with the router
  router->Add("GET", "/status", [s](HttpRequest&, HttpResponder* r) {
    RespondJson(r, 200, ordered_json{{"version", s->version}, {"modules", ordered_json::array()}, {"memory", ordered_json::object()}});
  });
  router->Add("GET", "/status/health", [](HttpRequest&, HttpResponder* r) { r->Respond(200, kJson, "true"); });
  router->Add("GET", "/status/selfDiscovered", [](HttpRequest&, HttpResponder* r) {
    r->Respond(200, kJson, "{\"selfDiscovered\":true}");
  });
  router->Add("POST", "/druid/v2/sql", [s](HttpRequest& req, HttpResponder* r) { HandleSql(*s, req, r); });
  router->Add("DELETE", "/druid/v2/sql/{id}", [s](HttpRequest& req, HttpResponder* r) {
    Status st = s->sql->Cancel(req.params["id"]);
    if (!st.ok()) return RespondError(r, st);
    r->Respond(202, {}, "");
  });
  router->Add("POST", "/druid/v2/sql/task", [s](HttpRequest& req, HttpResponder* r) { HandleSqlTask(*s, req, r); });
  router->Add("GET", "/druid/v2/sql/task/enabled", [](HttpRequest&, HttpResponder* r) {
    r->Respond(200, kJson, "{\"enabled\":true}");
  });
  router->Add("GET", "/druid/indexer/v1/task/{id}/status", [s](HttpRequest& req, HttpResponder* r) { HandleTaskStatus(*s, req, r); });
  router->Add("GET", "/druid/indexer/v1/task/{id}/reports", [s](HttpRequest& req, HttpResponder* r) { HandleTaskReports(*s, req, r); });
  router->Add("GET", "/druid/indexer/v1/task/{id}", [s](HttpRequest& req, HttpResponder* r) { HandleTaskPayload(*s, req, r); });
  router->Add("POST", "/druid/indexer/v1/task/{id}/shutdown", [s](HttpRequest& req, HttpResponder* r) { HandleTaskShutdown(*s, req, r); });
  router->Add("GET", "/druid/indexer/v1/tasks", [s](HttpRequest& req, HttpResponder* r) { HandleTaskList(*s, req, r, ""); });
  router->Add("GET", "/druid/indexer/v1/completeTasks", [s](HttpRequest& req, HttpResponder* r) { HandleTaskList(*s, req, r, "complete"); });
  router->Add("GET", "/druid/indexer/v1/runningTasks", [s](HttpRequest& req, HttpResponder* r) { HandleTaskList(*s, req, r, "running"); });
  router->Add("GET", "/druid/indexer/v1/waitingTasks", [s](HttpRequest& req, HttpResponder* r) { HandleTaskList(*s, req, r, "waiting"); });
  router->Add("GET", "/druid/indexer/v1/pendingTasks", [s](HttpRequest& req, HttpResponder* r) { HandleTaskList(*s, req, r, "pending"); });
  router->Add("POST", "/druid/indexer/v1/taskStatus", [s](HttpRequest& req, HttpResponder* r) { HandleTaskStatuses(*s, req, r); });
  router->Add("GET", "/druid/v2/datasources", [s](HttpRequest&, HttpResponder* r) {
    Result<std::vector<std::string>> names = s->catalog->ListDatasources();
    if (!names.ok()) return RespondError(r, names.status());
    RespondJson(r, 200, ordered_json(*names));
  });
}

}  // namespace strata::http
