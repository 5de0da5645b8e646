"""Rollup with finalizeAggregations=false stores HLL sketches that later queries merge."""
import base64

from druid_client import DruidClient, small_extern


def rows(days, users_per_day):
    out = []
    for d in range(days):
        for u in range(users_per_day):
            # Every day sees users 0..users_per_day-1 plus one user of its own.
            out.append((f"2024-01-0{d + 1}T01:00:00Z", f"user{u}", 1))
        out.append((f"2024-01-0{d + 1}T02:00:00Z", f"only-day{d}", 1))
    return out


def ingest_sketches(client, finalize):
    query = (
        "REPLACE INTO sketches OVERWRITE ALL "
        "SELECT TIME_FLOOR(TIME_PARSE(ts), 'P1D') AS __time, COUNT(*) AS cnt, "
        "APPROX_COUNT_DISTINCT(dim) AS users "
        f"FROM {small_extern(rows(3, 50))} GROUP BY 1 PARTITIONED BY DAY"
    )
    return client.ingest(query, {"finalizeAggregations": finalize})


def test_sketch_metric_is_stored_and_merges_across_segments(client):
    ingest_sketches(client, False)
    columns = client.sql_rows(
        "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
        "WHERE TABLE_NAME = 'sketches' ORDER BY ORDINAL_POSITION")
    assert columns == [["__time", "TIMESTAMP"], ["cnt", "BIGINT"], ["users", "COMPLEX<hyperUnique>"]]
    assert client.sql_value("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'sketches'") == 3
    # Per day: 50 shared users + 1 of its own; over all days 50 + 3. HLL is exact at this size.
    per_day = client.sql_rows(
        "SELECT __time, SUM(cnt), APPROX_COUNT_DISTINCT(users) FROM sketches GROUP BY 1 ORDER BY 1")
    assert per_day == [
        ["2024-01-01T00:00:00.000Z", 51, 51],
        ["2024-01-02T00:00:00.000Z", 51, 51],
        ["2024-01-03T00:00:00.000Z", 51, 51],
    ]
    assert client.sql_value("SELECT APPROX_COUNT_DISTINCT(users) FROM sketches") == 53
    # Selecting the raw column gives the serialized sketch as base64 text.
    raw = client.sql_value("SELECT users FROM sketches WHERE __time = TIMESTAMP '2024-01-01 00:00:00'")
    assert isinstance(raw, str) and len(base64.b64decode(raw, validate=True)) > 0


def test_finalized_rollup_stores_estimates(client):
    ingest_sketches(client, True)
    columns = client.sql_rows(
        "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
        "WHERE TABLE_NAME = 'sketches' ORDER BY ORDINAL_POSITION")
    assert columns == [["__time", "TIMESTAMP"], ["cnt", "BIGINT"], ["users", "BIGINT"]]
    assert client.sql_rows("SELECT users FROM sketches ORDER BY __time") == [[51], [51], [51]]
