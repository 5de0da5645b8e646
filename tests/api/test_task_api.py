"""Overlord task listing and status APIs (spec §1.1 E2, E8-E10) and the server status endpoints."""

import time

import pytest

from druid_client import ISO_TIME_RE, inline_source, extern, small_extern, SMALL_SIGNATURE
from seed_query import SEED_CONTEXT, seed_query

STATUS_KEYS = {
    "id", "groupId", "type", "createdTime", "queueInsertionTime", "statusCode", "status",
    "runnerStatusCode", "duration", "location", "dataSource", "errorMsg",
}
TASKS = "/druid/indexer/v1/tasks"


def insert(datasource, rows):
    return (f"INSERT INTO {datasource} SELECT TIME_PARSE(ts) AS __time, dim, cnt "
            f"FROM {small_extern(rows)} PARTITIONED BY DAY")


@pytest.fixture(scope="module")
def tasks(module_client, file_server):
    """alpha_ok, beta_ok (SUCCESS), alpha_failed (FAILED), gamma_running (RUNNING, slow input), in that order."""
    client = module_client
    alpha_ok = client.ingest(insert("alpha", [("2024-01-01T00:00:00Z", "a", 1)]))
    time.sleep(0.01)
    beta_ok = client.ingest(insert("beta", [("2024-01-01T00:00:00Z", "b", 2)]))
    time.sleep(0.01)
    bad = extern(inline_source(["not json"]), {"type": "json"}, SMALL_SIGNATURE)
    alpha_failed, status = client.run_task(
        f"INSERT INTO alpha SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {bad} PARTITIONED BY DAY")
    assert status["status"] == "FAILED", status
    time.sleep(0.01)
    uri = file_server.slow_url("wikipedia.json", 20, "task-api")
    gamma_running = client.submit_task_id(seed_query(uri, "gamma"), SEED_CONTEXT)
    file_server.wait_for_request(uri)
    client.wait_until_running(gamma_running)
    yield {"alpha_ok": alpha_ok, "beta_ok": beta_ok, "alpha_failed": alpha_failed, "gamma_running": gamma_running}
    client.shutdown_task(gamma_running)
    client.wait_for_task(gamma_running, timeout=60)


def ids(response):
    assert response.status_code == 200, (response.status_code, response.text)
    body = response.json()
    assert isinstance(body, list), body
    for entry in body:
        assert set(entry.keys()) == STATUS_KEYS, entry
    return [entry["id"] for entry in body]


def test_all_tasks(module_client, tasks):
    response = module_client.get(TASKS)
    listed = ids(response)
    assert sorted(listed) == sorted(tasks.values())
    by_id = {entry["id"]: entry for entry in response.json()}
    running = by_id[tasks["gamma_running"]]
    assert running["statusCode"] == "RUNNING"
    assert running["runnerStatusCode"] == "RUNNING"
    assert running["duration"] == -1
    assert running["dataSource"] == "gamma"
    assert running["errorMsg"] is None
    failed = by_id[tasks["alpha_failed"]]
    assert failed["statusCode"] == "FAILED"
    assert failed["runnerStatusCode"] == "NONE"
    assert failed["errorMsg"].startswith("TooManyWarnings:")
    for entry in by_id.values():
        assert entry["type"] == "query_controller"
        assert entry["groupId"] == entry["id"]
        assert ISO_TIME_RE.match(entry["createdTime"]), entry


@pytest.mark.parametrize("state", ["running", "RUNNING", "Running"])
def test_state_running(module_client, tasks, state):
    assert ids(module_client.get(TASKS, params={"state": state})) == [tasks["gamma_running"]]


def test_state_complete(module_client, tasks):
    listed = ids(module_client.get(TASKS, params={"state": "complete"}))
    # Most recently created first.
    assert listed == [tasks["alpha_failed"], tasks["beta_ok"], tasks["alpha_ok"]]


def test_state_waiting_and_pending_are_empty(module_client, tasks):
    assert ids(module_client.get(TASKS, params={"state": "waiting"})) == []
    assert ids(module_client.get(TASKS, params={"state": "pending"})) == []


def test_bad_state_is_400(module_client, tasks):
    response = module_client.get(TASKS, params={"state": "sleeping"})
    assert response.status_code == 400, response.text


def test_datasource_filter(module_client, tasks):
    assert sorted(ids(module_client.get(TASKS, params={"datasource": "alpha"}))) == \
        sorted([tasks["alpha_ok"], tasks["alpha_failed"]])
    assert ids(module_client.get(TASKS, params={"datasource": "gamma"})) == [tasks["gamma_running"]]
    assert ids(module_client.get(TASKS, params={"datasource": "nope"})) == []
    assert ids(module_client.get(TASKS, params={"state": "complete", "datasource": "beta"})) == [tasks["beta_ok"]]


def test_max_limits_complete_tasks(module_client, tasks):
    assert ids(module_client.get(TASKS, params={"state": "complete", "max": 1})) == [tasks["alpha_failed"]]
    assert ids(module_client.get(TASKS, params={"state": "complete", "max": 2})) == \
        [tasks["alpha_failed"], tasks["beta_ok"]]


def test_type_filter(module_client, tasks):
    assert sorted(ids(module_client.get(TASKS, params={"type": "query_controller"}))) == sorted(tasks.values())
    assert ids(module_client.get(TASKS, params={"type": "index_parallel"})) == []


def test_created_time_interval_filter(module_client, tasks):
    assert ids(module_client.get(
        TASKS, params={"state": "complete", "createdTimeInterval": "2000-01-01_2000-01-02"})) == []
    assert sorted(ids(module_client.get(
        TASKS, params={"state": "complete", "createdTimeInterval": "2000-01-01_3000-01-01"}))) == \
        sorted([tasks["alpha_ok"], tasks["beta_ok"], tasks["alpha_failed"]])


def test_complete_and_running_task_lists(module_client, tasks):
    assert ids(module_client.get("/druid/indexer/v1/completeTasks")) == \
        [tasks["alpha_failed"], tasks["beta_ok"], tasks["alpha_ok"]]
    assert ids(module_client.get("/druid/indexer/v1/runningTasks")) == [tasks["gamma_running"]]
    assert ids(module_client.get("/druid/indexer/v1/completeTasks", params={"datasource": "beta"})) == \
        [tasks["beta_ok"]]
    assert ids(module_client.get("/druid/indexer/v1/waitingTasks")) == []
    assert ids(module_client.get("/druid/indexer/v1/pendingTasks")) == []


def test_bulk_task_status(module_client, tasks):
    unknown = "query-00000000-0000-0000-0000-000000000000"
    response = module_client.post("/druid/indexer/v1/taskStatus",
                                  json=[tasks["beta_ok"], tasks["gamma_running"], tasks["alpha_failed"], unknown])
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(body.keys()) == sorted([tasks["beta_ok"], tasks["gamma_running"], tasks["alpha_failed"]])
    ok = body[tasks["beta_ok"]]
    assert set(ok.keys()) >= {"id", "status", "duration", "errorMsg", "location"}
    assert ok["id"] == tasks["beta_ok"]
    assert ok["status"] == "SUCCESS"
    assert ok["errorMsg"] is None
    assert body[tasks["gamma_running"]]["status"] == "RUNNING"
    assert body[tasks["alpha_failed"]]["status"] == "FAILED"
    assert body[tasks["alpha_failed"]]["errorMsg"].startswith("TooManyWarnings:")


def test_bulk_task_status_without_ids_is_400(module_client):
    response = module_client.post("/druid/indexer/v1/taskStatus", json=[])
    assert response.status_code == 400, response.text
    assert "No TaskIds provided." in response.text


def test_running_task_in_sys_tasks_and_live_report(module_client, tasks):
    task_id = tasks["gamma_running"]
    assert module_client.sql_rows(
        f"SELECT status, runner_status, datasource FROM sys.tasks WHERE task_id = '{task_id}'"
    ) == [["RUNNING", "RUNNING", "gamma"]]
    response = module_client.task_report(task_id)
    # The live report of a running MSQ task (404 is allowed only while the task starts up).
    assert response.status_code == 200, response.text
    status = response.json()["multiStageQuery"]["payload"]["status"]
    assert status["status"] == "RUNNING"
    assert status["workers"]["0"][0]["state"] == "RUNNING"
    assert status["workers"]["0"][0]["durationMs"] == -1


def test_sql_task_path_with_trailing_slash(module_client, tasks):
    response = module_client.post("/druid/v2/sql/task/", json={"query": insert("delta", [("2024-01-01T00:00:00Z", "d", 4)])})
    assert response.status_code in (200, 202), response.text
    task_id = response.json()["taskId"]
    assert module_client.wait_for_task(task_id)["status"] == "SUCCESS"
    assert module_client.sql_rows("SELECT dim, cnt FROM delta") == [["d", 4]]


def test_sql_task_enabled(module_client):
    response = module_client.get("/druid/v2/sql/task/enabled")
    assert response.status_code == 200
    assert response.json() == {"enabled": True}


def test_status(module_client):
    response = module_client.get("/status")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["version"], str) and body["version"]


def test_status_health(module_client):
    response = module_client.get("/status/health")
    assert response.status_code == 200
    assert response.json() is True
