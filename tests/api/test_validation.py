"""Statements /druid/v2/sql/task must reject at submission: HTTP 400 with Druid's error JSON and the
messages of spec §2 / §3."""

import json
import re

import pytest

from druid_client import SMALL_SIGNATURE, assert_error_response, inline_source, small_extern, sql_string

SRC = small_extern([("2024-01-01T00:00:00Z", "a", 1)])
SELECT = f"SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {SRC}"

GRANULARITY_LIST = (
    "specified after PARTITIONED BY clause. Expected 'SECOND', 'MINUTE', 'FIVE_MINUTE', 'TEN_MINUTE', "
    "'FIFTEEN_MINUTE', 'THIRTY_MINUTE', 'HOUR', 'SIX_HOUR', 'EIGHT_HOUR', 'DAY', 'MONTH', 'QUARTER', 'YEAR', "
    "'ALL', ALL TIME, FLOOR() or TIME_FLOOR()"
)

INLINE_JSON = sql_string(json.dumps(inline_source(['{"ts":"2024-01-01T00:00:00Z","dim":"a","cnt":1}'])))

CASES = {
    "insert_without_partitioned_by": (
        f"INSERT INTO v {SELECT}",
        "Operation [INSERT] requires a PARTITIONED BY to be explicitly defined, but none was found.",
    ),
    "replace_without_partitioned_by": (
        f"REPLACE INTO v OVERWRITE ALL {SELECT}",
        "Operation [REPLACE] requires a PARTITIONED BY to be explicitly defined, but none was found.",
    ),
    "order_by_in_insert": (
        f"INSERT INTO v {SELECT} ORDER BY dim PARTITIONED BY DAY",
        "Cannot use an ORDER BY clause on a Query of type [INSERT], use CLUSTERED BY instead",
    ),
    "order_by_in_replace": (
        f"REPLACE INTO v OVERWRITE ALL {SELECT} ORDER BY dim PARTITIONED BY DAY",
        "Cannot use an ORDER BY clause on a Query of type [REPLACE], use CLUSTERED BY instead",
    ),
    "overwrite_on_insert": (
        f"INSERT INTO v OVERWRITE ALL {SELECT} PARTITIONED BY DAY",
        "An OVERWRITE clause is not allowed with INSERT statements. Use REPLACE statements if overwriting "
        "existing segments is required or remove the OVERWRITE clause.",
    ),
    "replace_without_overwrite": (
        f"REPLACE INTO v {SELECT} PARTITIONED BY DAY",
        "Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE "
        "<__time based condition> or OVERWRITE ALL to overwrite the entire table.",
    ),
    "time_of_varchar_column": (
        f"INSERT INTO v SELECT dim AS __time, cnt FROM {SRC} PARTITIONED BY DAY",
        "Field [__time] was the wrong type [VARCHAR], expected TIMESTAMP",
    ),
    "time_of_string_literal": (
        f"INSERT INTO v SELECT 'x' AS __time, dim FROM {SRC} PARTITIONED BY DAY",
        "Field [__time] was the wrong type [",
    ),
    "unnamed_column": (
        f"INSERT INTO v SELECT TIME_PARSE(ts) AS __time, dim || 'x' FROM {SRC} PARTITIONED BY DAY",
        "Insertion requires columns to be named, but at least one of the columns was unnamed.",
    ),
    "duplicate_column": (
        f"INSERT INTO v SELECT TIME_PARSE(ts) AS __time, dim AS x, cnt AS x FROM {SRC} PARTITIONED BY DAY",
        "Duplicate field in SELECT: [x]",
    ),
    "limit_without_all": (
        f"INSERT INTO v {SELECT} LIMIT 10 PARTITIONED BY DAY",
        'INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is "ALL"',
    ),
    "offset": (
        f"INSERT INTO v {SELECT} LIMIT 10 OFFSET 1 PARTITIONED BY ALL",
        "INSERT and REPLACE queries cannot have an OFFSET",
    ),
    "clustered_by_before_partitioned_by": (
        f"INSERT INTO v {SELECT} CLUSTERED BY dim PARTITIONED BY DAY",
        "CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause",
    ),
    "clustered_by_without_partitioned_by": (
        f"INSERT INTO v {SELECT} CLUSTERED BY dim",
        "CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause",
    ),
    "clustered_by_desc": (
        f"INSERT INTO v SELECT TIME_PARSE(ts) AS __time, dim AS dim1, cnt FROM {SRC} "
        "PARTITIONED BY DAY CLUSTERED BY dim1 DESC",
        "Invalid CLUSTERED BY clause [`dim1` DESC]: cannot sort in descending order.",
    ),
    "datasource_with_slash": (
        f'INSERT INTO "in/valid" {SELECT} PARTITIONED BY DAY',
        "Invalid value for field [table]: Value [in/valid] cannot contain '/'.",
    ),
    "extern_signature_and_extend": (
        "INSERT INTO v SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM TABLE(EXTERN("
        f"inputSource => {INLINE_JSON}, inputFormat => '{{\"type\":\"json\"}}', "
        f"signature => {sql_string(json.dumps(SMALL_SIGNATURE))})) "
        "EXTEND (ts VARCHAR, dim VARCHAR, cnt BIGINT) PARTITIONED BY DAY",
        "EXTERN requires either a [signature] value or an EXTEND clause, but not both",
    ),
    "extern_neither_signature_nor_extend": (
        "INSERT INTO v SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM TABLE(EXTERN("
        f"inputSource => {INLINE_JSON}, inputFormat => '{{\"type\":\"json\"}}')) PARTITIONED BY DAY",
        "EXTERN requires either a [signature] value or an EXTEND clause",
    ),
    "select_from_information_schema": (
        "SELECT * FROM INFORMATION_SCHEMA.SCHEMATA",
        "Cannot query table(s) [INFORMATION_SCHEMA.SCHEMATA] with SQL engine [msq-task]",
    ),
    "select_from_sys": (
        "SELECT * FROM sys.segments",
        "Cannot query table(s) [sys.segments] with SQL engine [msq-task]",
    ),
    "target_is_system_table": (
        f"REPLACE INTO INFORMATION_SCHEMA.COLUMNS OVERWRITE ALL {SELECT} PARTITIONED BY DAY",
        "Table [INFORMATION_SCHEMA.COLUMNS] does not support operation [REPLACE] because it is not a Druid datasource",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_statement_is_rejected(module_client, name):
    query, message = CASES[name]
    body = assert_error_response(module_client.submit_task(query), message)
    assert body["errorMessage"].startswith(message.split("[")[0]), body["errorMessage"]
    # Druid 27+ DruidException fields (§1.3 b).
    assert body["errorCode"] == "invalidInput", body
    assert body["persona"] == "USER", body
    assert body["category"] == "INVALID_INPUT", body
    # Nothing was submitted.
    assert module_client.get("/druid/indexer/v1/tasks").json() == []


def test_granularity_message_names_the_value(module_client):
    body = assert_error_response(
        module_client.submit_task(f"INSERT INTO v {SELECT} PARTITIONED BY 'PT2H'"), GRANULARITY_LIST)
    assert body["errorMessage"].startswith("Invalid granularity["), body
    assert "PT2H" in body["errorMessage"].split("]")[0], body


def test_malformed_json_body(module_client):
    response = module_client.post("/druid/v2/sql/task", data='{"query": "SELECT 1",',
                                  headers={"Content-Type": "application/json"})
    assert_error_response(response, "")


def test_body_without_query(module_client):
    response = module_client.post("/druid/v2/sql/task", data='{"context": {}}',
                                  headers={"Content-Type": "application/json"})
    assert_error_response(response, "")


def test_sql_syntax_error_names_line_and_column(module_client):
    query = f"INSERT INTO v\nSELECT 1 +\nFROM {SRC}\nPARTITIONED BY DAY"
    body = assert_error_response(module_client.submit_task(query), "")
    # Druid: "... (line [3], column [1]) ..." (older: "... at line 3, column 1").
    assert re.search(r"line \[?3\]?, column \[?1\]?", body["errorMessage"]), body["errorMessage"]


def test_max_num_tasks_one(module_client):
    assert_error_response(
        module_client.submit_task(f"INSERT INTO v {SELECT} PARTITIONED BY DAY", {"maxNumTasks": 1}),
        "MSQ context maxNumTasks [1] cannot be less than 2, since at least 1 controller and 1 worker is necessary",
    )


def test_unknown_sql_time_zone(module_client):
    body = assert_error_response(
        module_client.submit_task(f"INSERT INTO v {SELECT} PARTITIONED BY DAY", {"sqlTimeZone": "Mars/Olympus"}),
        "Mars/Olympus",
    )
    assert "sqlTimeZone" in body["errorMessage"] or "time zone" in body["errorMessage"].lower() or \
        "zone id" in body["errorMessage"], body


def test_rejected_statements_leave_no_tasks(module_client):
    assert module_client.get("/druid/indexer/v1/tasks").json() == []
    assert module_client.sql_rows("SELECT COUNT(*) FROM sys.tasks") == [[0]]
