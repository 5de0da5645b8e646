"""SELECT through /druid/v2/sql/task (results in the report, spec §5.5) and EXPLAIN PLAN FOR (spec §2)."""

import json

import pytest

import sample_table
from druid_client import small_extern


@pytest.fixture(scope="module")
def table_task(module_client):
    return sample_table.ingest(module_client)


def test_select_results_in_report(module_client, table_task):
    client = module_client
    task_id, status = client.run_task(sample_table.QUERY)
    assert status["status"] == "SUCCESS", status
    assert status["dataSource"] == "__query_select"
    assert status["type"] == "query_controller"

    payload = client.report_payload(task_id)
    assert payload["status"]["status"] == "SUCCESS"
    assert "segmentReport" not in payload["status"]
    results = payload["results"]
    assert results["signature"] == [
        {"name": "__time", "type": "LONG"},
        {"name": "dim", "type": "STRING"},
        {"name": "cnt", "type": "LONG"},
    ]
    assert results["sqlTypeNames"] == ["TIMESTAMP", "VARCHAR", "BIGINT"]
    assert results["results"] == [
        [millis, dim, cnt] for millis, (_, dim, cnt) in zip(sample_table.EPOCH_MILLIS, sample_table.ROWS)
    ]
    assert results["resultsTruncated"] is False

    task = client.task_payload(task_id).json()["payload"]
    assert task["dataSource"] == "__query_select"
    assert task["sqlQuery"] == sample_table.QUERY
    assert task["sqlTypeNames"] == ["TIMESTAMP", "VARCHAR", "BIGINT"]


def test_select_aggregate_in_report(module_client, table_task):
    task_id, status = module_client.run_task(
        f"SELECT COUNT(*) AS c, SUM(cnt) AS s, MAX(__time) AS t FROM {sample_table.TABLE}")
    assert status["status"] == "SUCCESS", status
    results = module_client.report_payload(task_id)["results"]
    assert results["signature"] == [
        {"name": "c", "type": "LONG"}, {"name": "s", "type": "LONG"}, {"name": "t", "type": "LONG"}]
    assert results["sqlTypeNames"] == ["BIGINT", "BIGINT", "TIMESTAMP"]
    assert results["results"] == [[4, 6, sample_table.EPOCH_MILLIS[3]]]


def test_select_from_extern(module_client):
    task_id, status = module_client.run_task(
        "SELECT TIME_PARSE(ts) AS t, UPPER(dim) AS d FROM "
        f"{small_extern([('2024-05-01T10:00:00Z', 'x', 1), ('2024-05-02T10:00:00Z', 'y', 2)])} ORDER BY t")
    assert status["status"] == "SUCCESS", status
    results = module_client.report_payload(task_id)["results"]
    assert results["sqlTypeNames"] == ["TIMESTAMP", "VARCHAR"]
    assert results["results"] == [[1714557600000, "X"], [1714644000000, "Y"]]


def explain(client, statement):
    response = client.submit_task("EXPLAIN PLAN FOR " + statement)
    assert response.status_code == 200, response.text
    rows = response.json()
    assert len(rows) == 1
    assert list(rows[0].keys()) == ["PLAN", "RESOURCES", "ATTRIBUTES"]
    return rows[0]


def test_explain_insert_answers_inline(module_client):
    tasks_before = module_client.get("/druid/indexer/v1/tasks").json()
    row = explain(module_client,
                  "INSERT INTO dst SELECT TIME_PARSE(ts) AS __time, dim, cnt "
                  f"FROM {small_extern([('2024-01-01T00:00:00Z', 'a', 1)])} PARTITIONED BY DAY CLUSTERED BY dim")
    assert isinstance(json.loads(row["PLAN"]), list)
    resources = json.loads(row["RESOURCES"])
    assert sorted(resources, key=lambda r: r["name"]) == [
        {"name": "EXTERNAL", "type": "EXTERNAL"}, {"name": "dst", "type": "DATASOURCE"}]
    assert json.loads(row["ATTRIBUTES"]) == {
        "statementType": "INSERT",
        "targetDataSource": {"type": "table", "tableName": "dst"},
        "partitionedBy": "DAY",
        "clusteredBy": ["dim"],
    }
    # EXPLAIN runs nothing.
    assert module_client.get("/druid/indexer/v1/tasks").json() == tasks_before


def test_explain_replace_attributes(module_client):
    row = explain(module_client,
                  "REPLACE INTO dst OVERWRITE ALL SELECT TIME_PARSE(ts) AS __time, dim, cnt "
                  f"FROM {small_extern([('2024-01-01T00:00:00Z', 'a', 1)])} PARTITIONED BY ALL")
    assert json.loads(row["ATTRIBUTES"]) == {
        "statementType": "REPLACE",
        "targetDataSource": {"type": "table", "tableName": "dst"},
        "partitionedBy": {"type": "all"},
        "replaceTimeChunks": "all",
    }


def test_explain_replace_where_attributes(module_client):
    row = explain(module_client,
                  "REPLACE INTO dst OVERWRITE WHERE __time >= TIMESTAMP '2024-01-01 00:00:00' "
                  "AND __time < TIMESTAMP '2024-01-03 00:00:00' SELECT TIME_PARSE(ts) AS __time, dim, cnt "
                  f"FROM {small_extern([('2024-01-01T00:00:00Z', 'a', 1)])} PARTITIONED BY DAY")
    assert json.loads(row["ATTRIBUTES"]) == {
        "statementType": "REPLACE",
        "targetDataSource": {"type": "table", "tableName": "dst"},
        "partitionedBy": "DAY",
        "replaceTimeChunks": "2024-01-01T00:00:00.000Z/2024-01-03T00:00:00.000Z",
    }


def test_explain_select(module_client, table_task):
    row = explain(module_client, sample_table.QUERY)
    assert json.loads(row["RESOURCES"]) == [{"name": "fmt", "type": "DATASOURCE"}]
    assert json.loads(row["ATTRIBUTES"]) == {"statementType": "SELECT"}
