"""Canceling a running MSQ task with POST /druid/indexer/v1/task/{id}/shutdown (spec §1.1 E5, §4 Canceled)."""

import time

from druid_client import small_extern
from seed_query import SEED_CONTEXT, seed_query

# The slow source would take this long; a canceled task must end long before.
SLOW_SECONDS = 15
CANCEL_DEADLINE_SECONDS = 10
# A small file served over this long: the read stalls between chunks.
TRICKLE_SECONDS = 15
PROMPT_CANCEL_SECONDS = 5


def test_shutdown_cancels_running_ingestion(client, file_server):
    uri = file_server.slow_url("wikipedia.json", SLOW_SECONDS, "cancel")
    task_id = client.submit_task_id(seed_query(uri, "cancel_me"), SEED_CONTEXT)
    file_server.wait_for_request(uri)
    client.wait_until_running(task_id)
    time.sleep(0.5)  # let the worker read a little of the input

    response = client.shutdown_task(task_id)
    assert response.status_code == 200, response.text
    assert response.json() == {"task": task_id}

    canceled_at = time.monotonic()
    status = client.wait_for_task(task_id, timeout=CANCEL_DEADLINE_SECONDS)
    assert time.monotonic() - canceled_at < CANCEL_DEADLINE_SECONDS
    assert status["status"] == "FAILED"
    assert status["statusCode"] == "FAILED"
    assert status["runnerStatusCode"] == "NONE"
    assert status["errorMsg"].startswith("Canceled:"), status

    report_status = client.report_payload(task_id)["status"]
    assert report_status["status"] == "FAILED"
    assert report_status["errorReport"]["error"]["errorCode"] == "Canceled"

    # Nothing was published.
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'cancel_me'") == [[0]]
    assert client.sql_rows(
        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'cancel_me'") == [[0]]
    response = client.sql("SELECT COUNT(*) FROM cancel_me")
    assert response.status_code == 400, response.text
    assert "cancel_me" in response.json()["errorMessage"]

    # A task that is no longer running cannot be shut down.
    response = client.shutdown_task(task_id)
    assert response.status_code == 404, response.text


def test_shutdown_interrupts_a_stalled_input_read(client, file_server):
    """A worker waiting on a trickling HTTP source is canceled without reading the source to its end."""
    head = (file_server.root / "wikipedia.json").read_bytes().splitlines(keepends=True)[:300]
    file_server.add_file("cancel/trickle.json", b"".join(head))
    uri = file_server.slow_url("cancel/trickle.json", TRICKLE_SECONDS, "cancel-trickle")
    task_id = client.submit_task_id(seed_query(uri, "cancel_trickle"), SEED_CONTEXT)
    file_server.wait_for_request(uri)
    client.wait_until_running(task_id)
    time.sleep(0.5)

    response = client.shutdown_task(task_id)
    assert response.status_code == 200, response.text
    assert response.json() == {"task": task_id}
    status = client.wait_for_task(task_id, timeout=PROMPT_CANCEL_SECONDS)
    assert status["status"] == "FAILED"
    assert status["errorMsg"].startswith("Canceled:"), status
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'cancel_trickle'") == [[0]]


def test_shutdown_of_finished_task_is_404(client):
    task_id = client.ingest(
        "INSERT INTO done SELECT TIME_PARSE(ts) AS __time, dim, cnt "
        f"FROM {small_extern([('2024-01-01T00:00:00Z', 'a', 1)])} PARTITIONED BY DAY")
    response = client.shutdown_task(task_id)
    assert response.status_code == 404, response.text
    # The finished task is untouched.
    assert client.task_status(task_id).json()["status"]["status"] == "SUCCESS"
    assert client.sql_rows("SELECT COUNT(*) FROM done") == [[1]]


def test_shutdown_of_unknown_task_is_404(client):
    response = client.shutdown_task("query-00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404, response.text
