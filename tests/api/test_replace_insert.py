"""REPLACE overshadows, OVERWRITE WHERE replaces only its time chunks, INSERT appends (spec §2, §8)."""

from druid_client import assert_error_response, small_extern


def ingest_small(client, statement, rows, context=None):
    """Runs `<statement> SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM <inline rows> PARTITIONED BY DAY`."""
    query = (f"{statement}\nSELECT TIME_PARSE(ts) AS __time, dim, cnt\n"
             f"FROM {small_extern(rows)}\nPARTITIONED BY DAY")
    return client.ingest(query, context)


def all_rows(client, datasource):
    return client.sql_rows(f"SELECT __time, dim, cnt FROM {datasource} ORDER BY __time, dim")


def segments(client, datasource):
    """(start, end, version, partition_num, num_rows, is_overshadowed) of the datasource's segments."""
    return client.sql_rows(
        'SELECT "start", "end", version, partition_num, num_rows, is_overshadowed FROM sys.segments '
        f"WHERE datasource = '{datasource}' ORDER BY \"start\", partition_num"
    )


DAY1 = ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z"]
DAY2 = ["2024-01-02T00:00:00.000Z", "2024-01-03T00:00:00.000Z"]
DAY3 = ["2024-01-03T00:00:00.000Z", "2024-01-04T00:00:00.000Z"]


def test_replace_overwrite_all_overshadows_previous_version(module_client):
    client = module_client
    ds = "replace_all"
    ingest_small(client, f"REPLACE INTO {ds} OVERWRITE ALL", [
        ("2024-01-01T01:00:00Z", "a", 1),
        ("2024-01-01T02:00:00Z", "b", 2),
        ("2024-01-02T01:00:00Z", "c", 3),
    ])
    assert all_rows(client, ds) == [
        ["2024-01-01T01:00:00.000Z", "a", 1],
        ["2024-01-01T02:00:00.000Z", "b", 2],
        ["2024-01-02T01:00:00.000Z", "c", 3],
    ]
    old = segments(client, ds)
    assert [s[:2] + s[3:] for s in old] == [DAY1 + [0, 2, 0], DAY2 + [0, 1, 0]]
    old_version = old[0][2]
    assert old[1][2] == old_version

    ingest_small(client, f"REPLACE INTO {ds} OVERWRITE ALL", [
        ("2024-01-01T03:00:00Z", "x", 10),
        ("2024-01-02T04:00:00Z", "y", 20),
    ])
    assert all_rows(client, ds) == [
        ["2024-01-01T03:00:00.000Z", "x", 10],
        ["2024-01-02T04:00:00.000Z", "y", 20],
    ]
    assert client.sql_rows(f"SELECT COUNT(*), SUM(cnt) FROM {ds}") == [[2, 30]]
    assert client.sql_rows(f"SELECT COUNT(*) FROM sys.segments WHERE datasource = '{ds}'") == [[2]]
    new = segments(client, ds)
    assert [s[:2] + s[3:] for s in new] == [DAY1 + [0, 1, 0], DAY2 + [0, 1, 0]]
    new_version = new[0][2]
    assert new[1][2] == new_version
    assert new_version > old_version, (old_version, new_version)


def test_replace_overwrite_all_removes_chunks_without_new_rows(module_client):
    client = module_client
    ds = "replace_all_shrink"
    ingest_small(client, f"REPLACE INTO {ds} OVERWRITE ALL", [
        ("2024-01-01T01:00:00Z", "a", 1),
        ("2024-01-02T01:00:00Z", "b", 2),
    ])
    ingest_small(client, f"REPLACE INTO {ds} OVERWRITE ALL", [("2024-01-05T01:00:00Z", "z", 9)])
    assert all_rows(client, ds) == [["2024-01-05T01:00:00.000Z", "z", 9]]
    assert client.sql_rows(f"SELECT COUNT(*) FROM {ds}") == [[1]]


def test_replace_overwrite_where_replaces_only_its_time_chunk(module_client):
    client = module_client
    ds = "replace_where"
    ingest_small(client, f"INSERT INTO {ds}", [
        ("2024-01-01T01:00:00Z", "a", 1),
        ("2024-01-01T02:00:00Z", "b", 2),
        ("2024-01-02T01:00:00Z", "c", 3),
        ("2024-01-03T01:00:00Z", "d", 4),
    ])
    before = segments(client, ds)
    assert [s[:2] for s in before] == [DAY1, DAY2, DAY3]
    old_versions = [s[2] for s in before]

    task_id = ingest_small(
        client,
        f"REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' "
        "AND __time < TIMESTAMP '2024-01-03 00:00:00'",
        [("2024-01-02T05:00:00Z", "new1", 30), ("2024-01-02T06:00:00Z", "new2", 31)],
    )
    assert all_rows(client, ds) == [
        ["2024-01-01T01:00:00.000Z", "a", 1],
        ["2024-01-01T02:00:00.000Z", "b", 2],
        ["2024-01-02T05:00:00.000Z", "new1", 30],
        ["2024-01-02T06:00:00.000Z", "new2", 31],
        ["2024-01-03T01:00:00.000Z", "d", 4],
    ]
    after = segments(client, ds)
    assert [s[:2] + s[3:] for s in after] == [DAY1 + [0, 2, 0], DAY2 + [0, 2, 0], DAY3 + [0, 1, 0]]
    assert after[0][2] == old_versions[0]
    assert after[2][2] == old_versions[2]
    assert after[1][2] > old_versions[1], (old_versions, after)

    payload = client.task_payload(task_id).json()["payload"]
    assert payload["spec"]["query"]["context"]["sqlReplaceTimeChunks"] == \
        "2024-01-02T00:00:00.000Z/2024-01-03T00:00:00.000Z"


def test_replace_rows_outside_overwrite_where_fail_the_task(module_client):
    client = module_client
    ds = "replace_oob"
    ingest_small(client, f"INSERT INTO {ds}", [("2024-01-02T01:00:00Z", "keep", 1)])
    query = (
        f"REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' "
        "AND __time < TIMESTAMP '2024-01-03 00:00:00'\n"
        "SELECT TIME_PARSE(ts) AS __time, dim, cnt\n"
        f"FROM {small_extern([('2024-01-02T05:00:00Z', 'in', 2), ('2024-01-03T05:00:00Z', 'out', 3)])}\n"
        "PARTITIONED BY DAY"
    )
    task_id, status = client.run_task(query)
    assert status["status"] == "FAILED"
    assert status["errorMsg"].startswith("InsertTimeOutOfBounds:"), status
    assert status["errorMsg"] == (
        "InsertTimeOutOfBounds: Query generated time chunk "
        "[2024-01-03T00:00:00.000Z/2024-01-04T00:00:00.000Z] out of bounds specified by replaceExistingTimeChunks"
    )
    error = client.report_payload(task_id)["status"]["errorReport"]["error"]
    assert error["errorCode"] == "InsertTimeOutOfBounds"
    assert error["interval"] == "2024-01-03T00:00:00.000Z/2024-01-04T00:00:00.000Z"
    # A failed REPLACE changes nothing.
    assert all_rows(client, ds) == [["2024-01-02T01:00:00.000Z", "keep", 1]]


def test_replace_overwrite_where_not_aligned_is_rejected(module_client):
    query = (
        "REPLACE INTO replace_misaligned OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' "
        "AND __time < TIMESTAMP '2024-01-02 12:00:00'\n"
        "SELECT TIME_PARSE(ts) AS __time, dim, cnt\n"
        f"FROM {small_extern([('2024-01-02T05:00:00Z', 'x', 1)])}\n"
        "PARTITIONED BY DAY"
    )
    body = assert_error_response(
        module_client.submit_task(query),
        "OVERWRITE WHERE clause identified interval [2024-01-02T00:00:00.000Z/2024-01-02T12:00:00.000Z] "
        "which is not aligned with PARTITIONED BY granularity [",
    )
    assert body["errorMessage"].startswith("OVERWRITE WHERE clause identified interval"), body


def test_insert_appends(module_client):
    client = module_client
    ds = "insert_append"
    rows = [("2024-01-01T01:00:00Z", "a", 1), ("2024-01-01T02:00:00Z", "b", 2)]
    ingest_small(client, f"INSERT INTO {ds}", rows)
    assert client.sql_rows(f"SELECT COUNT(*), SUM(cnt) FROM {ds}") == [[2, 3]]
    ingest_small(client, f"INSERT INTO {ds}", rows)
    assert client.sql_rows(f"SELECT COUNT(*), SUM(cnt) FROM {ds}") == [[4, 6]]
    assert all_rows(client, ds) == [
        ["2024-01-01T01:00:00.000Z", "a", 1],
        ["2024-01-01T01:00:00.000Z", "a", 1],
        ["2024-01-01T02:00:00.000Z", "b", 2],
        ["2024-01-01T02:00:00.000Z", "b", 2],
    ]
    # The second INSERT appends a partition to the existing time chunk version.
    segs = segments(client, ds)
    assert [s[:2] + s[3:] for s in segs] == [DAY1 + [0, 2, 0], DAY1 + [1, 2, 0]]
    assert segs[0][2] == segs[1][2]
