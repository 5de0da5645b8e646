"""Tasks, reports and data survive a restart; a task running when the process died is FAILED afterwards."""

import time

from seed_query import SEED_CONTEXT, WIKIPEDIA_ROWS, seed_query


def snapshot(client, task_id):
    return {
        "status": client.task_status(task_id).json(),
        "report": client.task_report(task_id).json(),
        "payload": client.task_payload(task_id).json(),
        "count": client.sql_rows("SELECT COUNT(*) FROM wikipedia"),
        "segments": client.sql_rows(
            "SELECT segment_id, version, num_rows FROM sys.segments WHERE datasource = 'wikipedia'"),
        "sys_task": client.sql_rows(
            f"SELECT task_id, type, datasource, status, error_msg FROM sys.tasks WHERE task_id = '{task_id}'"),
        "columns": client.sql_rows(
            "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'wikipedia' "
            "ORDER BY ORDINAL_POSITION"),
    }


def test_restart_keeps_tasks_reports_and_data(server, client, restart_server, file_server):
    task_id = client.ingest(seed_query(file_server.url("wikipedia.json.gz")), SEED_CONTEXT)
    before = snapshot(client, task_id)
    assert before["count"] == [[WIKIPEDIA_ROWS]]
    assert before["sys_task"] == [[task_id, "query_controller", "wikipedia", "SUCCESS", None]]

    restart_server(server)

    after = snapshot(client, task_id)
    assert after["status"] == before["status"]
    assert after["report"] == before["report"]
    assert after["payload"] == before["payload"]
    assert after["count"] == [[WIKIPEDIA_ROWS]]
    assert after["segments"] == before["segments"]
    assert after["sys_task"] == before["sys_task"]
    assert after["columns"] == before["columns"]

    # The restarted server keeps appending to the same datasource.
    client.ingest(seed_query(file_server.url("wikipedia.json")), SEED_CONTEXT)
    assert client.sql_rows("SELECT COUNT(*) FROM wikipedia") == [[2 * WIKIPEDIA_ROWS]]
    completed = [t["id"] for t in client.get("/druid/indexer/v1/completeTasks").json()]
    assert task_id in completed and len(completed) == 2


def test_task_running_when_process_died_fails_after_restart(server, client, kill_server, file_server):
    uri = file_server.slow_url("wikipedia.json", 30, "kill9")
    task_id = client.submit_task_id(seed_query(uri, "killed"), SEED_CONTEXT)
    file_server.wait_for_request(uri)
    client.wait_until_running(task_id)
    time.sleep(0.3)

    kill_server(server)
    server.start()

    response = client.task_status(task_id)
    assert response.status_code == 200, response.text
    status = response.json()["status"]
    assert status["id"] == task_id
    assert status["status"] == "FAILED"
    assert status["statusCode"] == "FAILED"
    assert status["runnerStatusCode"] == "NONE"
    assert status["dataSource"] == "killed"
    assert status["errorMsg"] is not None and "process stopped" in status["errorMsg"], status

    assert client.get("/druid/indexer/v1/runningTasks").json() == []
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'killed'") == [[0]]
    assert client.sql_rows(f"SELECT status FROM sys.tasks WHERE task_id = '{task_id}'") == [["FAILED"]]


def test_sigterm_with_running_task_stops_promptly(server, client, file_server):
    """A clean stop (SIGTERM) does not wait for a running task's input; the task is FAILED afterwards."""
    head = (file_server.root / "wikipedia.json").read_bytes().splitlines(keepends=True)[:300]
    file_server.add_file("restart/trickle.json", b"".join(head))
    uri = file_server.slow_url("restart/trickle.json", 15, "sigterm")
    task_id = client.submit_task_id(seed_query(uri, "stopped"), SEED_CONTEXT)
    file_server.wait_for_request(uri)
    client.wait_until_running(task_id)
    time.sleep(0.3)

    graceful = server.stop(timeout=10)
    server.start()

    status = client.task_status(task_id).json()["status"]
    assert status["status"] == "FAILED"
    assert status["runnerStatusCode"] == "NONE"
    assert status["errorMsg"] is not None
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'stopped'") == [[0]]
    assert graceful, "strata did not exit within 10s of SIGTERM while a task was reading its input"
