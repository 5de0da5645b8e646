"""Unparseable input rows: maxParseExceptions, TooManyWarnings, CannotParseExternalData warnings (spec §3, §4);
null __time: InsertTimeNull."""

import pytest

from druid_client import SMALL_SIGNATURE, extern, inline_source

GOOD_1 = '{"ts":"2024-01-01T01:00:00Z","dim":"a","cnt":1}'
GOOD_2 = '{"ts":"2024-01-01T02:00:00Z","dim":"b","cnt":2}'
BAD_3 = '{"ts":"2024-01-01T03:00:00Z","dim":"c",'
GOOD_4 = '{"ts":"2024-01-01T04:00:00Z","dim":"d","cnt":4}'
BAD_5 = 'this is not json'
GOOD_6 = '{"ts":"2024-01-01T06:00:00Z","dim":"f","cnt":6}'
LINES = [GOOD_1, GOOD_2, BAD_3, GOOD_4, BAD_5, GOOD_6]


@pytest.fixture(scope="module")
def bad_file_uri(file_server):
    return file_server.add_file("parse_errors/two_bad_lines.json", "\n".join(LINES) + "\n")


def insert_query(datasource, source):
    return (f"INSERT INTO {datasource}\nSELECT TIME_PARSE(ts) AS __time, dim, cnt\n"
            f"FROM {extern(source, {'type': 'json'}, SMALL_SIGNATURE)}\nPARTITIONED BY DAY")


def assert_too_many_warnings(client, task_id, status, max_warnings):
    message = f"Too many warnings of type CannotParseExternalData generated (max = {max_warnings})"
    assert status["status"] == "FAILED"
    assert status["errorMsg"].startswith("TooManyWarnings:"), status
    assert status["errorMsg"] == f"TooManyWarnings: {message}"
    report_status = client.report_payload(task_id)["status"]
    assert report_status["status"] == "FAILED"
    error = report_status["errorReport"]["error"]
    assert error["errorCode"] == "TooManyWarnings"
    assert error["rootErrorCode"] == "CannotParseExternalData"
    assert error["maxWarnings"] == max_warnings
    assert error["errorMessage"] == message


def test_default_max_parse_exceptions_is_zero(module_client):
    client = module_client
    task_id, status = client.run_task(insert_query("bad_rows_default", inline_source(LINES)))
    assert_too_many_warnings(client, task_id, status, 0)
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'bad_rows_default'") == [[0]]


def test_max_parse_exceptions_below_bad_row_count_fails(module_client, bad_file_uri):
    client = module_client
    task_id, status = client.run_task(
        insert_query("bad_rows_one", {"type": "http", "uris": [bad_file_uri]}), {"maxParseExceptions": 1})
    assert_too_many_warnings(client, task_id, status, 1)


def test_tolerated_bad_rows_become_warnings(module_client, bad_file_uri):
    client = module_client
    task_id, status = client.run_task(
        insert_query("bad_rows_ok", {"type": "http", "uris": [bad_file_uri]}), {"maxParseExceptions": 10})
    assert status["status"] == "SUCCESS", status
    assert status["errorMsg"] is None

    assert client.sql_rows("SELECT __time, dim, cnt FROM bad_rows_ok ORDER BY __time") == [
        ["2024-01-01T01:00:00.000Z", "a", 1],
        ["2024-01-01T02:00:00.000Z", "b", 2],
        ["2024-01-01T04:00:00.000Z", "d", 4],
        ["2024-01-01T06:00:00.000Z", "f", 6],
    ]

    payload = client.report_payload(task_id)
    report_status = payload["status"]
    assert report_status["status"] == "SUCCESS"
    assert "errorReport" not in report_status
    warnings = report_status["warnings"]
    assert len(warnings) == 2
    for warning in warnings:
        assert warning["stageNumber"] == 0
        assert warning["taskId"].startswith(f"{task_id}-worker"), warning
        assert warning["error"]["errorCode"] == "CannotParseExternalData"
    messages = sorted(w["error"]["errorMessage"] for w in warnings)
    assert messages == sorted([
        f"Unable to parse row [{BAD_3}] (Path: {bad_file_uri}, Record: 3, Line: 3)",
        f"Unable to parse row [{BAD_5}] (Path: {bad_file_uri}, Record: 5, Line: 5)",
    ])

    # The warnings counter of stage 0, summed over workers.
    total = {}
    for worker_counters in payload["counters"]["0"].values():
        for code, count in worker_counters.get("warnings", {}).items():
            if code != "type":
                total[code] = total.get(code, 0) + count
        if "warnings" in worker_counters:
            assert worker_counters["warnings"]["type"] == "warnings"
    assert total == {"CannotParseExternalData": 2}


def test_null_time_fails_with_insert_time_null(module_client):
    client = module_client
    lines = [GOOD_1, '{"ts":"not a time","dim":"x","cnt":9}']
    task_id, status = client.run_task(insert_query("null_time", inline_source(lines)))
    assert status["status"] == "FAILED"
    assert status["errorMsg"].startswith("InsertTimeNull:"), status
    assert status["errorMsg"] == "InsertTimeNull: Null timestamp (__time) encountered during INSERT or REPLACE."
    error = client.report_payload(task_id)["status"]["errorReport"]["error"]
    assert error["errorCode"] == "InsertTimeNull"
    assert client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'null_time'") == [[0]]
