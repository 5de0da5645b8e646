"""The seed's sample: submit the wikipedia INSERT, follow its status and report, query the result.

Covers /druid/v2/sql/task, /druid/indexer/v1/task/{id}/status, /reports and /task/{id} (payload),
and the 404 shapes for unknown task ids (spec §1.1 E1, E3, E4, E6; §5).
"""

import json
import time

import pytest
import requests

from druid_client import ISO_TIME_RE, TASK_ID_RE
from seed_query import SEED_CONTEXT, SEED_SIGNATURE, WIKIPEDIA_ROWS, seed_query

STATUS_KEYS = [
    "id", "groupId", "type", "createdTime", "queueInsertionTime", "statusCode", "status",
    "runnerStatusCode", "duration", "location", "dataSource", "errorMsg",
]


def assert_running_or_done_status(task_id, status):
    assert list(status.keys()) == STATUS_KEYS
    assert status["id"] == task_id
    assert status["groupId"] == task_id
    assert status["type"] == "query_controller"
    assert ISO_TIME_RE.match(status["createdTime"]), status
    assert ISO_TIME_RE.match(status["queueInsertionTime"]), status
    assert status["statusCode"] == status["status"]
    assert set(status["location"].keys()) == {"host", "port", "tlsPort"}
    assert status["dataSource"] == "wikipedia"


@pytest.mark.parametrize("file_name", ["wikipedia.json.gz", "wikipedia.json"])
def test_seed_insert_then_count(client, file_server, file_name):
    response = client.submit_task(seed_query(file_server.url(file_name)), SEED_CONTEXT)
    assert response.status_code in (200, 202), response.text
    body = response.json()
    assert list(body.keys()) == ["taskId", "state"]
    assert TASK_ID_RE.match(body["taskId"]), body
    assert body["state"] == "RUNNING"
    task_id = body["taskId"]

    # While running, and once complete, the status has the seed's shape.
    first = client.task_status(task_id)
    assert first.status_code == 200
    assert first.json()["task"] == task_id
    assert_running_or_done_status(task_id, first.json()["status"])

    status = client.wait_for_task(task_id)
    assert_running_or_done_status(task_id, status)
    assert status["statusCode"] == "SUCCESS"
    assert status["status"] == "SUCCESS"
    assert status["runnerStatusCode"] == "NONE"
    assert status["errorMsg"] is None
    assert isinstance(status["duration"], int) and status["duration"] >= 0

    assert client.sql_rows("SELECT COUNT(*) FROM wikipedia") == [[WIKIPEDIA_ROWS]]
    assert client.sql_rows(
        "SELECT MIN(__time), MAX(__time) FROM wikipedia"
    ) == [["2015-09-12T00:46:58.771Z", "2015-09-12T23:59:59.200Z"]]
    assert client.sql_rows(
        "SELECT channel, COUNT(*) AS c FROM wikipedia GROUP BY channel ORDER BY c DESC LIMIT 2"
    ) == [["#en.wikipedia", 11549], ["#vi.wikipedia", 9747]]


def test_seed_python_requests_snippet(server, file_server):
    """The seed's Python example, run as written (only the address and the URI replaced)."""
    url = server.url + "/druid/v2/sql/task"
    payload = json.dumps({
        "query": seed_query(file_server.url("wikipedia.json.gz")),
        "context": {
            "maxNumTasks": 3
        }
    })
    headers = {
        'Content-Type': 'application/json'
    }
    response = requests.post(url, headers=headers, data=payload)
    assert response.status_code in (200, 202), response.text
    task_id = response.json()["taskId"]

    # The status snippet of the seed (GET .../status).
    status_url = server.url + f"/druid/indexer/v1/task/{task_id}/status"
    deadline = time.monotonic() + 120  # a busy machine can take a while; never a fixed count of polls
    while time.monotonic() < deadline:
        response = requests.get(status_url)
        assert response.status_code == 200
        if response.json()["status"]["status"] != "RUNNING":
            break
        time.sleep(0.01)
    assert response.json()["task"] == task_id
    assert response.json()["status"]["status"] == "SUCCESS"

    response = requests.post(server.url + "/druid/v2/sql", headers=headers,
                             data=json.dumps({"query": "SELECT COUNT(*) AS cnt FROM wikipedia"}))
    assert response.status_code == 200
    assert response.json() == [{"cnt": WIKIPEDIA_ROWS}]


def _sum_channel(counters, stage, name, field="rows"):
    """Sums a channel counter over workers and partitions."""
    total = 0
    for worker_counters in counters[str(stage)].values():
        if name in worker_counters:
            total += sum(worker_counters[name].get(field, []))
    return total


def test_seed_report(client, file_server):
    uri = file_server.url("wikipedia.json.gz")
    task_id = client.ingest(seed_query(uri), SEED_CONTEXT)

    response = client.task_report(task_id)
    assert response.status_code == 200
    report = response.json()
    assert list(report.keys()) == ["multiStageQuery"]
    msq = report["multiStageQuery"]
    assert msq["type"] == "multiStageQuery"
    assert msq["taskId"] == task_id
    payload = msq["payload"]
    assert "results" not in payload  # only SELECT has results

    # --- status
    status = payload["status"]
    assert status["status"] == "SUCCESS"
    assert ISO_TIME_RE.match(status["startTime"]), status
    assert isinstance(status["durationMs"], int) and status["durationMs"] >= 0
    assert "errorReport" not in status
    assert "warnings" not in status
    assert list(status["workers"].keys()) == ["0"]
    worker = status["workers"]["0"]
    assert len(worker) == 1
    assert set(worker[0].keys()) == {"workerId", "state", "durationMs", "pendingMs"}
    assert worker[0]["workerId"] == f"{task_id}-worker0_0"
    assert worker[0]["state"] == "SUCCESS"
    assert worker[0]["durationMs"] >= 0 and worker[0]["pendingMs"] >= 0
    assert status["pendingTasks"] == 0
    assert isinstance(status["runningTasks"], int)
    load = status["segmentLoadWaiterStatus"]
    assert load["state"] == "SUCCESS"
    assert load["dataSource"] == "wikipedia"
    assert load["totalSegments"] == 1
    assert load["usedSegments"] == 1
    assert load["pendingSegments"] == 0
    assert load["unknownSegments"] == 0
    assert status["segmentReport"]["shardSpec"] == "NumberedShardSpec"
    assert isinstance(status["segmentReport"]["details"], str)

    # --- stages
    stages = payload["stages"]
    assert [s["stageNumber"] for s in stages] == [0, 1]
    scan, generator = stages
    query_id = task_id[len("query-"):]

    assert scan["definition"]["id"] == f"{query_id}_0"
    assert scan["definition"]["input"] == [{
        "type": "external",
        "inputSource": {"type": "http", "uris": [uri],
                        "httpAuthenticationUsername": None, "httpAuthenticationPassword": None},
        "inputFormat": {"type": "json", "flattenSpec": None, "featureSpec": {}, "keepNullColumns": False},
        "signature": SEED_SIGNATURE,
    }]
    assert scan["definition"]["processor"]["type"] == "scan"
    scan_signature_names = [c["name"] for c in scan["definition"]["signature"]]
    assert "__time" in scan_signature_names
    assert "shuffleSpec" in scan["definition"]
    assert scan["definition"]["maxWorkerCount"] == 2  # maxNumTasks 3 = controller + 2 workers
    assert scan["phase"] == "FINISHED"
    assert scan["workerCount"] == 1  # one input file: one worker reads it
    assert scan["partitionCount"] == 1  # one DAY time chunk
    assert ISO_TIME_RE.match(scan["startTime"]), scan
    assert isinstance(scan["duration"], int)
    assert scan["sort"] is True

    assert generator["definition"]["id"] == f"{query_id}_1"
    assert generator["definition"]["input"] == [{"type": "stage", "stage": 0}]
    processor = generator["definition"]["processor"]
    assert processor["type"] == "segmentGenerator"
    assert processor["dataSchema"]["dataSource"] == "wikipedia"
    assert processor["dataSchema"]["timestampSpec"] == {"column": "__time", "format": "millis", "missingValue": None}
    assert processor["dataSchema"]["granularitySpec"]["rollup"] is False
    mapping_names = [m["outputColumn"] for m in processor["columnMappings"]]
    assert mapping_names == ["__time"] + [c["name"] for c in SEED_SIGNATURE]
    assert generator["definition"]["signature"] == []
    assert generator["phase"] == "FINISHED"
    assert generator["partitionCount"] == 1  # one segment
    assert ISO_TIME_RE.match(generator["startTime"]), generator

    # --- counters: summed over workers and partitions
    counters = payload["counters"]
    assert set(counters.keys()) == {"0", "1"}
    assert _sum_channel(counters, 0, "input0") == WIKIPEDIA_ROWS
    assert _sum_channel(counters, 0, "input0", "files") == 1
    assert _sum_channel(counters, 0, "input0", "totalFiles") == 1
    assert _sum_channel(counters, 0, "output") == WIKIPEDIA_ROWS
    assert _sum_channel(counters, 0, "shuffle") == WIKIPEDIA_ROWS
    for worker_counters in counters["0"].values():
        assert worker_counters["input0"]["type"] == "channel"
        assert worker_counters["sortProgress"]["type"] == "sortProgress"
        assert worker_counters["sortProgress"]["progressDigest"] == 1.0
        assert "warnings" not in worker_counters
    assert _sum_channel(counters, 1, "input0") == WIKIPEDIA_ROWS
    progress = [w["segmentGenerationProgress"] for w in counters["1"].values()]
    assert all(p["type"] == "segmentGenerationProgress" for p in progress)
    assert sum(p["rowsProcessed"] for p in progress) == WIKIPEDIA_ROWS
    assert sum(p["rowsPersisted"] for p in progress) == WIKIPEDIA_ROWS
    assert sum(p["rowsMerged"] for p in progress) == WIKIPEDIA_ROWS

    # The stored segment matches the report.
    assert client.sql_rows(
        "SELECT \"start\", \"end\", num_rows, is_overshadowed FROM sys.segments WHERE datasource = 'wikipedia'"
    ) == [["2015-09-12T00:00:00.000Z", "2015-09-13T00:00:00.000Z", WIKIPEDIA_ROWS, 0]]


def test_task_payload(client, file_server):
    query = seed_query(file_server.url("wikipedia.json.gz"))
    task_id = client.ingest(query, SEED_CONTEXT)

    response = client.task_payload(task_id)
    assert response.status_code == 200
    body = response.json()
    assert body["task"] == task_id
    payload = body["payload"]
    assert payload["type"] == "query_controller"
    assert payload["id"] == task_id
    assert payload["groupId"] == task_id
    assert payload["dataSource"] == "wikipedia"
    assert payload["sqlQuery"] == query
    assert payload["sqlQueryContext"]["maxNumTasks"] == 3
    assert payload["sqlQueryContext"]["sqlQueryId"] == task_id[len("query-"):]
    assert payload["context"]["forceTimeChunkLock"] is True
    assert payload["spec"]["query"]["context"]["sqlInsertSegmentGranularity"] == '"DAY"'


UNKNOWN_TASK = "query-00000000-0000-0000-0000-000000000000"


def test_unknown_task_status_is_404(client):
    response = client.task_status(UNKNOWN_TASK)
    assert response.status_code == 404
    assert response.json() == {"task": UNKNOWN_TASK, "status": None}


def test_unknown_task_payload_is_404(client):
    response = client.task_payload(UNKNOWN_TASK)
    assert response.status_code == 404
    assert response.json() == {"task": UNKNOWN_TASK, "payload": None}


def test_unknown_task_reports_is_404(client):
    response = client.task_report(UNKNOWN_TASK)
    assert response.status_code == 404
    assert response.text == ("No task reports were found for this task. The task may not exist, "
                             "or it may not have completed yet.")
