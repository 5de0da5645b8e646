"""Query timeouts (504), the concurrent query limit (429) and DELETE /druid/v2/sql/{id} cancellation."""
import threading
import time

import pytest

from druid_client import DruidClient

WIKI_COLUMNS = ("\"timestamp\" VARCHAR, channel VARCHAR, page VARCHAR, added BIGINT")
# Every pair of the 39,244 sample rows: far more work than any test waits for.
SLOW_QUERY = "SELECT COUNT(*) FROM wikipedia a CROSS JOIN wikipedia b WHERE a.added + b.added > -1"


def load_wikipedia(client, file_server):
    client.ingest(
        f"REPLACE INTO wikipedia OVERWRITE ALL SELECT TIME_PARSE(\"timestamp\") AS __time, channel, page, added "
        f"FROM TABLE(EXTERN('{{\"type\":\"http\",\"uris\":[\"{file_server.url('wikipedia.json')}\"]}}', "
        f"'{{\"type\":\"json\"}}')) EXTEND ({WIKI_COLUMNS}) PARTITIONED BY DAY")


def run_in_thread(client, query, context):
    result = {}

    def target():
        result["response"] = client.sql(query, context=context)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


@pytest.fixture(scope="module")
def limited(tmp_path_factory, strata_bin, file_server):
    import conftest
    server = conftest.StrataServer(strata_bin, str(tmp_path_factory.mktemp("limited")),
                                   str(tmp_path_factory.mktemp("limited-log") / "server.log"),
                                   extra_args=["--max-concurrent-queries", "1"])
    server.start()
    client = DruidClient(server)
    load_wikipedia(client, file_server)
    yield client
    server.stop()


def test_timeout_gives_504_and_the_server_goes_on(limited):
    started = time.monotonic()
    response = limited.sql(SLOW_QUERY, context={"timeout": 300})
    elapsed = time.monotonic() - started
    assert response.status_code == 504, response.text
    body = response.json()
    assert body["errorCode"] == "timeout"
    assert body["category"] == "TIMEOUT"
    assert "timed out" in body["errorMessage"]
    assert elapsed < 30, elapsed  # stopped promptly, not run to the end
    assert limited.sql_value("SELECT COUNT(*) FROM wikipedia") == 39244


def test_queries_beyond_the_limit_get_429(limited):
    thread, result = run_in_thread(limited, SLOW_QUERY, {"timeout": 3000})
    try:
        deadline = time.monotonic() + 5
        response = None
        while time.monotonic() < deadline:
            response = limited.sql("SELECT 1")
            if response.status_code == 429:
                break
            time.sleep(0.05)
        assert response is not None and response.status_code == 429, response.text if response else None
        body = response.json()
        assert body["errorCode"] == "capacityExceeded"
        assert body["category"] == "CAPACITY_EXCEEDED"
        assert "capacity" in body["errorMessage"]
    finally:
        thread.join(60)
    assert result["response"].status_code == 504
    assert limited.sql_value("SELECT 2") == 2  # the slot is free again


def test_delete_cancels_a_running_query(limited):
    thread, result = run_in_thread(limited, SLOW_QUERY, {"sqlQueryId": "slow-one", "timeout": 60000})
    try:
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            status = limited.delete("/druid/v2/sql/slow-one").status_code
            if status == 202:
                break
            time.sleep(0.05)
        assert status == 202
    finally:
        thread.join(60)
    response = result["response"]
    assert response.status_code == 500, response.text
    assert response.json()["category"] == "CANCELED"
    assert limited.delete("/druid/v2/sql/slow-one").status_code == 404  # no longer running


def test_results_stream_while_the_query_runs_and_stop_when_the_client_leaves(limited):
    # 1.5 billion rows: they can only be seen early if they are streamed as they are made.
    import requests
    started = time.monotonic()
    with requests.post(limited.url + "/druid/v2/sql",
                       json={"query": "SELECT a.page, b.page FROM wikipedia a CROSS JOIN wikipedia b",
                             "resultFormat": "arrayLines", "context": {"timeout": 120000}},
                       stream=True, timeout=60) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        first = [next(lines) for _ in range(1000)]
        assert all(line.startswith(b"[") for line in first)
    assert time.monotonic() - started < 30
    # Leaving cancels the query: its slot (the limit is 1) frees up.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = limited.sql("SELECT 3")
        if response.status_code == 200:
            break
        assert response.status_code == 429, response.text
        time.sleep(0.1)
    assert response.status_code == 200 and response.json() == [{"EXPR$0": 3}]
