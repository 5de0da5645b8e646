"""ARRAY columns: stored as arrays by default (arrayIngestMode 'array'), as multi-value strings
with 'mvd', refused with 'none' — Druid's rules (DimensionSchemaUtils) and messages."""
import json

from druid_client import assert_error_response, extern, inline_source

ROWS = [
    {"t": "2023-01-01", "s": ["d", "e"], "sn": ["b", "b"], "l": [1, 4], "ln": [1], "d": [2.5, 4.0], "dn": None},
    {"t": "2023-01-01", "s": None, "sn": ["b", "a"], "l": None, "ln": [2, 3], "d": None, "dn": [None]},
    {"t": "2023-01-02", "s": ["a", "b"], "sn": [], "l": [1, 2, 3], "ln": [1, None, 3], "d": [1.5],
     "dn": [1.5, None]},
    {"t": "2023-01-02", "s": ["b", "c"], "sn": ["d", None, "b"], "l": [], "ln": None, "d": [], "dn": []},
]
SIGNATURE = [{"name": "t", "type": "string"}, {"name": "s", "type": "ARRAY<STRING>"},
             {"name": "sn", "type": "ARRAY<STRING>"}, {"name": "l", "type": "ARRAY<LONG>"},
             {"name": "ln", "type": "ARRAY<LONG>"}, {"name": "d", "type": "ARRAY<DOUBLE>"},
             {"name": "dn", "type": "ARRAY<DOUBLE>"}]
SOURCE = extern(inline_source([json.dumps(r) for r in ROWS]), {"type": "json"}, SIGNATURE)
UNSTRINGIFIED = {"sqlStringifyArrays": False}


def ingest(client, table, columns, mode=None):
    context = {} if mode is None else {"arrayIngestMode": mode}
    return client.ingest(f"REPLACE INTO {table} OVERWRITE ALL SELECT TIME_PARSE(t) AS __time, {columns} "
                         f"FROM {SOURCE} PARTITIONED BY DAY", context)


def report_dimensions(client, task):
    """The dimension specs of the task's segmentGenerator stage, as its report shows them."""
    for stage in client.report_payload(task)["stages"]:
        processor = stage["definition"]["processor"]
        if "dataSchema" in processor:
            return processor["dataSchema"]["dimensionsSpec"]["dimensions"]
    raise AssertionError("no segmentGenerator stage in the report")


def test_arrays_are_stored_as_arrays_by_default(client):
    task = ingest(client, "arrays", "s, sn, l, ln, d, dn")
    stored = client.sql_rows("SELECT s, sn, l, ln, d, dn FROM arrays ORDER BY __time, ARRAY_LENGTH(l)",
                             UNSTRINGIFIED)
    # NULL rows, empty arrays, NULL elements and element order all survive.
    expected = [[r[c] for c in ("s", "sn", "l", "ln", "d", "dn")] for r in ROWS]
    assert sorted(map(json.dumps, stored)) == sorted(map(json.dumps, expected))
    assert client.sql_rows("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = "
                           "'arrays' ORDER BY ORDINAL_POSITION") == [
        ["__time", "TIMESTAMP"], ["s", "VARCHAR ARRAY"], ["sn", "VARCHAR ARRAY"], ["l", "BIGINT ARRAY"],
        ["ln", "BIGINT ARRAY"], ["d", "DOUBLE ARRAY"], ["dn", "DOUBLE ARRAY"]]
    # The report's dimension schema is Druid's auto column with the array type.
    dims = {d["name"]: d for d in report_dimensions(client, task)}
    assert dims["l"] == {"type": "auto", "name": "l", "castToType": "ARRAY<LONG>"}
    assert dims["s"] == {"type": "auto", "name": "s", "castToType": "ARRAY<STRING>"}
    # Stored arrays work with the array functions, filters and grouping.
    assert client.sql_value("SELECT COUNT(*) FROM arrays WHERE ARRAY_CONTAINS(s, 'b')") == 2
    assert client.sql_rows("SELECT l, COUNT(*) FROM arrays GROUP BY l ORDER BY ARRAY_LENGTH(l) NULLS FIRST",
                           UNSTRINGIFIED) == [[None, 1], [[], 1], [[1, 4], 1], [[1, 2, 3], 1]]
    assert client.sql_value("SELECT SUM(ARRAY_LENGTH(ln)) FROM arrays") == 6
    assert client.sql_value("SELECT ARRAY_TO_STRING(sn, '|') FROM arrays WHERE ARRAY_LENGTH(sn) = 3") == "d|null|b"


def test_mvd_mode_stores_string_arrays_as_multi_value_strings_in_order(client):
    task = ingest(client, "mvd", "s, sn", mode="mvd")
    assert client.sql_rows("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = "
                           "'mvd' ORDER BY ORDINAL_POSITION") == [
        ["__time", "TIMESTAMP"], ["s", "VARCHAR"], ["sn", "VARCHAR"]]
    # Element order is kept (multiValueHandling ARRAY); an empty array is NULL, as in any MVD, and
    # IS NULL also matches the row holding a NULL element (a multi-value row matches by any value).
    assert client.sql_rows("SELECT sn FROM mvd WHERE sn = 'a'") == [['["b","a"]']]
    assert client.sql_value("SELECT COUNT(*) FROM mvd WHERE sn IS NULL") == 2
    assert client.sql_rows("SELECT s, COUNT(*) FROM mvd GROUP BY s ORDER BY s") == [
        [None, 1], ["a", 1], ["b", 2], ["c", 1], ["d", 1], ["e", 1]]
    dims = {d["name"]: d for d in report_dimensions(client, task)}
    assert dims["sn"]["type"] == "string" and dims["sn"]["multiValueHandling"] == "ARRAY"


def test_modes_that_cannot_store_an_array_name_the_rule(client):
    query = f"REPLACE INTO x OVERWRITE ALL SELECT TIME_PARSE(t) AS __time, COLUMNS FROM {SOURCE} PARTITIONED BY DAY"
    response = client.submit_task(query.replace("COLUMNS", "l"), {"arrayIngestMode": "mvd"})
    assert_error_response(response, "Numeric arrays can only be ingested when 'arrayIngestMode' is set to 'array'")
    response = client.submit_task(query.replace("COLUMNS", "s"), {"arrayIngestMode": "none"})
    assert_error_response(response, "String arrays can not be ingested when 'arrayIngestMode' is set to 'none'")
    response = client.submit_task(query.replace("COLUMNS", "ARRAY_TO_MV(s) AS s"), {"arrayIngestMode": "none"})
    assert response.status_code in (200, 202), response.text  # the documented way out
    response = client.submit_task(query.replace("COLUMNS", "s"), {"arrayIngestMode": "sometimes"})
    assert_error_response(response, "arrayIngestMode must be one of [none, mvd, array], not [sometimes]")
