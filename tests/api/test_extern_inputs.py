"""EXTERN input formats and sources: CSV and TSV (header or columns), the EXTEND form, several files,
http basic auth and local files (spec §2 EXTERN, §11)."""

import json

import pytest

from druid_client import SMALL_SIGNATURE, extern, sql_string

CSV = (
    "ts,dim,cnt\n"
    "2024-01-01T00:00:00Z,a,1\n"
    '2024-01-02T00:00:00Z,"b,c",2\n'
    "2024-01-03T00:00:00Z,d,3\n"
)
TSV = CSV.replace(",", "\t").replace('"b\tc"', "b c")
CSV_2 = (
    "ts,dim,cnt\n"
    "2024-01-04T00:00:00Z,e,4\n"
    "2024-01-05T00:00:00Z,f,5\n"
)

EXPECTED = [
    ["2024-01-01T00:00:00.000Z", "a", 1],
    ["2024-01-02T00:00:00.000Z", "b,c", 2],
    ["2024-01-03T00:00:00.000Z", "d", 3],
]
EXPECTED_TSV = [EXPECTED[0], ["2024-01-02T00:00:00.000Z", "b c", 2], EXPECTED[2]]


@pytest.fixture(scope="module")
def files(file_server):
    return {
        "csv": file_server.add_file("extern/data.csv", CSV),
        "csv_2": file_server.add_file("extern/more.csv", CSV_2),
        "tsv": file_server.add_file("extern/data.tsv", TSV),
        "tsv_no_header": file_server.add_file("extern/data_no_header.tsv", TSV.split("\n", 1)[1]),
        "csv_auth": file_server.auth_url("extern/data.csv"),
        "local_dir": str(file_server.root / "extern"),
        "user": file_server.auth_user,
        "password": file_server.auth_password,
    }


def ingest_and_read(client, datasource, from_clause, context=None):
    client.ingest(f"INSERT INTO {datasource} SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {from_clause} "
                  "PARTITIONED BY DAY", context)
    return client.sql_rows(f"SELECT __time, dim, cnt FROM {datasource} ORDER BY __time")


def http(uris):
    return {"type": "http", "uris": uris}


def test_csv_find_columns_from_header(module_client, files):
    from_clause = extern(http([files["csv"]]), {"type": "csv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "csv_header", from_clause) == EXPECTED


def test_csv_columns_and_skip_header_rows(module_client, files):
    from_clause = extern(http([files["csv"]]),
                         {"type": "csv", "columns": ["ts", "dim", "cnt"], "skipHeaderRows": 1}, SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "csv_columns", from_clause) == EXPECTED


def test_csv_columns_map_by_name(module_client, files):
    """The signature may list columns in another order than the file: they match by name."""
    signature = [{"name": "cnt", "type": "long"}, {"name": "ts", "type": "string"}, {"name": "dim", "type": "string"}]
    from_clause = extern(http([files["csv"]]), {"type": "csv", "findColumnsFromHeader": True}, signature)
    assert ingest_and_read(module_client, "csv_by_name", from_clause) == EXPECTED


def test_tsv_find_columns_from_header(module_client, files):
    from_clause = extern(http([files["tsv"]]), {"type": "tsv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "tsv_header", from_clause) == EXPECTED_TSV


def test_tsv_columns(module_client, files):
    from_clause = extern(http([files["tsv_no_header"]]),
                         {"type": "tsv", "columns": ["ts", "dim", "cnt"], "findColumnsFromHeader": False},
                         SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "tsv_columns", from_clause) == EXPECTED_TSV


@pytest.mark.parametrize("keyword", ["EXTEND ", ""])
def test_extend_form(module_client, files, keyword):
    from_clause = (
        "TABLE(EXTERN("
        f"inputSource => {sql_string(json.dumps(http([files['csv']])))}, "
        f"inputFormat => {sql_string(json.dumps({'type': 'csv', 'findColumnsFromHeader': True}))}"
        f")) {keyword}(ts VARCHAR, dim VARCHAR, cnt BIGINT)"
    )
    datasource = "extend_kw" if keyword else "extend_no_kw"
    assert ingest_and_read(module_client, datasource, from_clause) == EXPECTED
    assert module_client.sql_rows(
        "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
        f"WHERE TABLE_NAME = '{datasource}' ORDER BY ORDINAL_POSITION"
    ) == [["__time", "TIMESTAMP"], ["dim", "VARCHAR"], ["cnt", "BIGINT"]]  # ingestion order (Druid 24+)


def test_two_files_are_read_by_two_workers(module_client, files):
    client = module_client
    from_clause = extern(http([files["csv"], files["csv_2"]]),
                         {"type": "csv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    rows = ingest_and_read(client, "csv_two_files", from_clause, {"maxNumTasks": 3})
    assert rows == EXPECTED + [["2024-01-04T00:00:00.000Z", "e", 4], ["2024-01-05T00:00:00.000Z", "f", 5]]
    task_id = client.sql_value(
        "SELECT task_id FROM sys.tasks WHERE datasource = 'csv_two_files'")
    payload = client.report_payload(task_id)
    scan = payload["stages"][0]
    assert scan["workerCount"] == 2
    assert len(payload["status"]["workers"]) == 2
    stage0 = payload["counters"]["0"]
    assert sum(sum(w["input0"]["rows"]) for w in stage0.values()) == 5
    assert sum(sum(w["input0"]["files"]) for w in stage0.values()) == 2
    stage1 = payload["counters"]["1"]
    assert sum(w["segmentGenerationProgress"]["rowsProcessed"] for w in stage1.values()) == 5


def test_http_basic_auth(module_client, files):
    source = {"type": "http", "uris": [files["csv_auth"]],
              "httpAuthenticationUsername": files["user"], "httpAuthenticationPassword": files["password"]}
    from_clause = extern(source, {"type": "csv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "csv_auth", from_clause) == EXPECTED


def test_http_without_credentials_fails(module_client, files):
    from_clause = extern(http([files["csv_auth"]]), {"type": "csv", "findColumnsFromHeader": True},
                         SMALL_SIGNATURE)
    task_id, status = module_client.run_task(
        f"INSERT INTO csv_noauth SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {from_clause} PARTITIONED BY DAY")
    assert status["status"] == "FAILED", status
    assert status["errorMsg"], status
    assert module_client.sql_rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'csv_noauth'") == [[0]]


def test_local_files(module_client, files):
    source = {"type": "local", "files": [files["local_dir"] + "/data.csv"]}
    from_clause = extern(source, {"type": "csv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    assert ingest_and_read(module_client, "local_files", from_clause) == EXPECTED


def test_local_base_dir_and_filter(module_client, files):
    source = {"type": "local", "baseDir": files["local_dir"], "filter": "*.csv"}
    from_clause = extern(source, {"type": "csv", "findColumnsFromHeader": True}, SMALL_SIGNATURE)
    rows = ingest_and_read(module_client, "local_glob", from_clause)
    assert rows == EXPECTED + [["2024-01-04T00:00:00.000Z", "e", 4], ["2024-01-05T00:00:00.000Z", "f", 5]]
