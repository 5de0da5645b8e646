"""POST /druid/v2/sql result formats, byte for byte (spec §6), headers, and the system tables that describe
an ingested table (spec §10)."""

import pytest

import sample_table
from druid_client import ISO_TIME_RE

Q = sample_table.QUERY

OBJECT_ROWS = (
    '{"__time":"2024-01-01T00:00:00.000Z","dim":"a","cnt":1},'
    '{"__time":"2024-01-02T12:30:00.000Z","dim":"b,\\"c\\"","cnt":2},'
    '{"__time":"2024-01-03T00:00:00.000Z","dim":null,"cnt":3},'
    '{"__time":"2024-01-04T00:00:00.000Z","dim":"","cnt":null}'
)
ARRAY_ROWS = (
    '["2024-01-01T00:00:00.000Z","a",1],'
    '["2024-01-02T12:30:00.000Z","b,\\"c\\"",2],'
    '["2024-01-03T00:00:00.000Z",null,3],'
    '["2024-01-04T00:00:00.000Z","",null]'
)
CSV_ROWS = (
    "2024-01-01T00:00:00.000Z,a,1\n"
    '2024-01-02T12:30:00.000Z,"b,""c""",2\n'
    "2024-01-03T00:00:00.000Z,,3\n"
    "2024-01-04T00:00:00.000Z,,\n"
)

NAMES_OBJECT = '{"__time":null,"dim":null,"cnt":null}'
TYPES_OBJECT = '{"__time":{"type":"LONG"},"dim":{"type":"STRING"},"cnt":{"type":"LONG"}}'
SQL_TYPES_OBJECT = '{"__time":{"sqlType":"TIMESTAMP"},"dim":{"sqlType":"VARCHAR"},"cnt":{"sqlType":"BIGINT"}}'
BOTH_TYPES_OBJECT = ('{"__time":{"type":"LONG","sqlType":"TIMESTAMP"},"dim":{"type":"STRING","sqlType":"VARCHAR"},'
                     '"cnt":{"type":"LONG","sqlType":"BIGINT"}}')
NAMES_ARRAY = '["__time","dim","cnt"]'
TYPES_ARRAY = '["LONG","STRING","LONG"]'
SQL_TYPES_ARRAY = '["TIMESTAMP","VARCHAR","BIGINT"]'


def lines(text):
    """objectLines/arrayLines body: each row on its own line, then one blank line."""
    return "".join(line + "\n" for line in text) + "\n"


def split_rows(joined):
    """Splits the comma-joined rows above back into single rows."""
    depth, start, rows = 0, 0, []
    in_string, escaped = False, False
    for i, ch in enumerate(joined):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                rows.append(joined[start:i + 1])
                start = i + 2
    return rows


# (resultFormat, header, typesHeader, sqlTypesHeader) -> (Content-Type, exact body)
FORMATS = {
    ("object", False, False, False): ("application/json", f"[{OBJECT_ROWS}]\n"),
    ("object", True, False, False): ("application/json", f"[{NAMES_OBJECT},{OBJECT_ROWS}]\n"),
    ("object", True, True, False): ("application/json", f"[{TYPES_OBJECT},{OBJECT_ROWS}]\n"),
    ("object", True, False, True): ("application/json", f"[{SQL_TYPES_OBJECT},{OBJECT_ROWS}]\n"),
    ("object", True, True, True): ("application/json", f"[{BOTH_TYPES_OBJECT},{OBJECT_ROWS}]\n"),
    ("array", False, False, False): ("application/json", f"[{ARRAY_ROWS}]\n"),
    ("array", True, False, False): ("application/json", f"[{NAMES_ARRAY},{ARRAY_ROWS}]\n"),
    ("array", True, True, True): (
        "application/json", f"[{NAMES_ARRAY},{TYPES_ARRAY},{SQL_TYPES_ARRAY},{ARRAY_ROWS}]\n"),
    ("objectLines", False, False, False): ("text/plain", lines(split_rows(OBJECT_ROWS))),
    ("objectLines", True, False, False): ("text/plain", lines([NAMES_OBJECT] + split_rows(OBJECT_ROWS))),
    ("objectLines", True, True, True): ("text/plain", lines([BOTH_TYPES_OBJECT] + split_rows(OBJECT_ROWS))),
    ("arrayLines", False, False, False): ("text/plain", lines(split_rows(ARRAY_ROWS))),
    ("arrayLines", True, True, False): (
        "text/plain", lines([NAMES_ARRAY, TYPES_ARRAY] + split_rows(ARRAY_ROWS))),
    ("arrayLines", True, True, True): (
        "text/plain", lines([NAMES_ARRAY, TYPES_ARRAY, SQL_TYPES_ARRAY] + split_rows(ARRAY_ROWS))),
    ("csv", False, False, False): ("text/csv", CSV_ROWS + "\n"),
    ("csv", True, False, False): ("text/csv", "__time,dim,cnt\n" + CSV_ROWS + "\n"),
    ("csv", True, True, False): ("text/csv", "__time,dim,cnt\nLONG,STRING,LONG\n" + CSV_ROWS + "\n"),
    ("csv", True, False, True): ("text/csv", "__time,dim,cnt\nTIMESTAMP,VARCHAR,BIGINT\n" + CSV_ROWS + "\n"),
    ("csv", True, True, True): (
        "text/csv", "__time,dim,cnt\nLONG,STRING,LONG\nTIMESTAMP,VARCHAR,BIGINT\n" + CSV_ROWS + "\n"),
    # typesHeader/sqlTypesHeader without header: no header rows.
    ("array", False, True, True): ("application/json", f"[{ARRAY_ROWS}]\n"),
}


@pytest.fixture(scope="module")
def table_task(module_client):
    return sample_table.ingest(module_client)


@pytest.mark.parametrize("key", list(FORMATS), ids=lambda k: "-".join(str(p) for p in k))
def test_result_format(module_client, table_task, key):
    result_format, header, types_header, sql_types_header = key
    content_type, expected_body = FORMATS[key]
    response = module_client.sql(
        Q, resultFormat=result_format, header=header, typesHeader=types_header, sqlTypesHeader=sql_types_header)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == content_type
    assert response.content.decode("utf-8") == expected_body
    if header:
        assert response.headers.get("X-Druid-SQL-Header-Included") == "yes"
    else:
        assert "X-Druid-SQL-Header-Included" not in response.headers


def test_default_format_is_object(module_client, table_task):
    response = module_client.sql(Q)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "application/json"
    assert response.text == f"[{OBJECT_ROWS}]\n"


def test_result_format_is_case_insensitive(module_client, table_task):
    response = module_client.sql(Q, resultFormat="ARRAYLINES")
    assert response.status_code == 200, response.text
    assert response.text == lines(split_rows(ARRAY_ROWS))


def test_query_id_header_echoes_context(module_client, table_task):
    response = module_client.sql(Q, context={"sqlQueryId": "strata-api-test-query-1"})
    assert response.status_code == 200
    assert response.headers["X-Druid-SQL-Query-Id"] == "strata-api-test-query-1"


def test_query_id_header_is_generated(module_client, table_task):
    first = module_client.sql(Q).headers["X-Druid-SQL-Query-Id"]
    second = module_client.sql(Q).headers["X-Druid-SQL-Query-Id"]
    assert first and second and first != second


def test_timestamps_follow_sql_time_zone(module_client, table_task):
    response = module_client.sql(
        f"SELECT __time FROM {sample_table.TABLE} ORDER BY __time LIMIT 2", resultFormat="array",
        context={"sqlTimeZone": "America/Los_Angeles"})
    assert response.status_code == 200, response.text
    assert response.text == '[["2023-12-31T16:00:00.000-08:00"],["2024-01-02T04:30:00.000-08:00"]]\n'


def test_unknown_result_format_is_400(module_client, table_task):
    response = module_client.sql(Q, resultFormat="xml")
    assert response.status_code == 400, response.text


def test_information_schema_tables(module_client, table_task):
    assert module_client.sql(
        "SELECT * FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'fmt'").json() == [{
            "TABLE_CATALOG": "druid", "TABLE_SCHEMA": "druid", "TABLE_NAME": "fmt", "TABLE_TYPE": "TABLE",
            "IS_JOINABLE": "NO", "IS_BROADCAST": "NO",
        }]


def test_information_schema_columns(module_client, table_task):
    assert module_client.sql_rows(
        "SELECT TABLE_SCHEMA, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE, JDBC_TYPE "
        "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'fmt' ORDER BY ORDINAL_POSITION"
    ) == [
        ["druid", "__time", 1, "TIMESTAMP", "NO", 93],
        ["druid", "cnt", 2, "BIGINT", "YES", -5],
        ["druid", "dim", 3, "VARCHAR", "YES", 12],
    ]


def test_sys_tasks_has_the_ingestion(module_client, table_task):
    rows = module_client.sql(
        "SELECT task_id, group_id, type, datasource, status, runner_status, error_msg, created_time "
        f"FROM sys.tasks WHERE task_id = '{table_task}'").json()
    assert len(rows) == 1
    row = rows[0]
    assert ISO_TIME_RE.match(row.pop("created_time")), row
    assert row == {
        "task_id": table_task, "group_id": table_task, "type": "query_controller", "datasource": "fmt",
        "status": "SUCCESS", "runner_status": "NONE", "error_msg": None,
    }


def test_sys_segments_for_the_table(module_client, table_task):
    assert module_client.sql_rows(
        'SELECT "start", "end", partition_num, num_rows, is_published, is_available, is_overshadowed, '
        "is_realtime, is_active FROM sys.segments WHERE datasource = 'fmt' ORDER BY \"start\""
    ) == [
        ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z", 0, 1, 1, 1, 0, 0, 1],
        ["2024-01-02T00:00:00.000Z", "2024-01-03T00:00:00.000Z", 0, 1, 1, 1, 0, 0, 1],
        ["2024-01-03T00:00:00.000Z", "2024-01-04T00:00:00.000Z", 0, 1, 1, 1, 0, 0, 1],
        ["2024-01-04T00:00:00.000Z", "2024-01-05T00:00:00.000Z", 0, 1, 1, 1, 0, 0, 1],
    ]


def test_cancel_unknown_sql_query_is_404(module_client):
    response = module_client.delete("/druid/v2/sql/no-such-query-id")
    assert response.status_code == 404, response.text


def test_sql_error_shape(module_client, table_task):
    response = module_client.sql("SELECT nosuchcolumn FROM fmt")
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "druidException"
    assert body["errorCode"] == "invalidInput"
    assert body["persona"] == "USER"
    assert body["category"] == "INVALID_INPUT"
    assert "nosuchcolumn" in body["errorMessage"]
