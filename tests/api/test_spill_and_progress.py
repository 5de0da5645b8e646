"""Sorting beyond the memory budget spills to disk; counters move while a task runs."""
import time

from druid_client import DruidClient

WIKI_COLUMNS = ("\"timestamp\" VARCHAR, channel VARCHAR, page VARCHAR, \"user\" VARCHAR, "
                "added BIGINT, deleted BIGINT")


def wiki_ingest(url, table="wikipedia", clustered="channel"):
    return (
        f"REPLACE INTO {table} OVERWRITE ALL SELECT TIME_PARSE(\"timestamp\") AS __time, channel, page, \"user\", added, deleted "
        f"FROM TABLE(EXTERN('{{\"type\":\"http\",\"uris\":[\"{url}\"]}}', '{{\"type\":\"json\"}}')) EXTEND ({WIKI_COLUMNS}) "
        f"PARTITIONED BY HOUR CLUSTERED BY {clustered}"
    )


def counter_sum(report, stage, name, field="rows"):
    counters = report["multiStageQuery"]["payload"]["counters"].get(str(stage), {})
    return sum(sum(w.get(name, {}).get(field, [])) for w in counters.values())


def test_sort_spills_to_disk_and_still_ingests_everything(server_factory, file_server):
    # 1 MiB per worker: the 39,244 rows (tens of MB as frames) cannot be sorted in memory.
    small = DruidClient(server_factory(name="small", extra_args=["--worker-memory-mb", "1"]))
    task_id = small.submit_task_id(wiki_ingest(file_server.url("wikipedia.json")), {"maxNumTasks": 2})
    status = small.wait_for_task(task_id, timeout=120)
    assert status["status"] == "SUCCESS", status
    report = small.task_report(task_id).json()
    worker = report["multiStageQuery"]["payload"]["counters"]["0"]["0"]
    # Several sorted runs were written and merged.
    assert worker["sortProgress"]["levelToTotalBatches"]["0"] > 1, worker["sortProgress"]
    assert worker["sortProgress"]["progressDigest"] == 1.0
    assert counter_sum(report, 0, "shuffle") == 39244
    assert small.sql_value("SELECT COUNT(*) FROM wikipedia") == 39244
    # The same data ingested with plenty of memory gives the same aggregates and segments.
    big = DruidClient(server_factory(name="big"))
    big_task = big.submit_task_id(wiki_ingest(file_server.url("wikipedia.json")), {"maxNumTasks": 2})
    assert big.wait_for_task(big_task, timeout=120)["status"] == "SUCCESS"
    query = ("SELECT channel, COUNT(*), SUM(added), MIN(__time), MAX(__time), COUNT(DISTINCT page) "
             "FROM wikipedia GROUP BY channel ORDER BY channel")
    assert small.sql_rows(query) == big.sql_rows(query)
    segments = "SELECT \"start\", num_rows FROM sys.segments ORDER BY \"start\""
    assert small.sql_rows(segments) == big.sql_rows(segments)
    assert len(small.sql_rows(segments)) == 24  # PARTITIONED BY HOUR over one day


def test_counters_move_while_the_task_runs(client, file_server):
    # The file is streamed over ~6 s: the live report shows input rows growing before the end.
    url = file_server.slow_url("wikipedia.json", 6, "progress")
    task_id = client.submit_task_id(wiki_ingest(url, table="progress"))
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = client.task_report(task_id)
        if response.status_code == 200:
            report = response.json()
            payload = report["multiStageQuery"]["payload"]
            if payload["status"]["status"] != "RUNNING":
                break
            stage0 = payload["stages"][0]
            if stage0.get("phase") == "READING_INPUT":
                seen.append(counter_sum(report, 0, "input0"))
        time.sleep(0.2)
    assert client.wait_for_task(task_id)["status"] == "SUCCESS"
    growing = [n for n in seen if 0 < n < 39244]
    assert len(set(growing)) >= 2, seen  # at least two different partial counts were observed
    assert seen == sorted(seen), seen     # counters never go backwards
