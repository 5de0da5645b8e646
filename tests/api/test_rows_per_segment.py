"""rowsPerSegment: time chunks with more rows are cut into several segments along CLUSTERED BY."""

import json

from druid_client import DruidClient, small_extern

WIKI_COLUMNS = ("\"timestamp\" VARCHAR, channel VARCHAR, page VARCHAR, \"user\" VARCHAR, "
                "added BIGINT, deleted BIGINT")


def wiki_ingest(url, table):
    return (
        f"REPLACE INTO {table} OVERWRITE ALL SELECT TIME_PARSE(\"timestamp\") AS __time, channel, page, \"user\", "
        f"added, deleted FROM TABLE(EXTERN('{{\"type\":\"http\",\"uris\":[\"{url}\"]}}', '{{\"type\":\"json\"}}')) "
        f"EXTEND ({WIKI_COLUMNS}) PARTITIONED BY DAY CLUSTERED BY channel"
    )


def test_segments_hold_at_most_rows_per_segment(client, file_server):
    url = file_server.url("wikipedia.json")
    client.ingest(wiki_ingest(url, "whole"))
    client.ingest(wiki_ingest(url, "pieces"), {"rowsPerSegment": 5000})
    whole = client.sql_rows("SELECT num_rows FROM sys.segments WHERE datasource = 'whole'")
    assert whole == [[39244]]
    pieces = [r[0] for r in client.sql_rows(
        "SELECT num_rows FROM sys.segments WHERE datasource = 'pieces' ORDER BY partition_num")]
    assert sum(pieces) == 39244
    assert len(pieces) >= 8 and max(pieces) <= 5000, pieces
    # The rows of #en (about 30% of the sample: one channel value, more than one segment's worth)
    # are spread over several segments; every query answers as over the single segment.
    for query in (
        "SELECT channel, COUNT(*), SUM(added), MIN(__time), MAX(__time), COUNT(DISTINCT page) FROM {t} "
        "GROUP BY channel ORDER BY channel",
        "SELECT COUNT(*) FROM {t} WHERE channel = '#en' AND \"user\" LIKE 'A%'",
        "SELECT __time, page, added FROM {t} WHERE channel = '#de' ORDER BY __time, page, added LIMIT 50",
    ):
        assert client.sql_rows(query.format(t="pieces")) == client.sql_rows(query.format(t="whole")), query


def segment_report(client, task_id):
    return client.report_payload(task_id)["status"]["segmentReport"]


def test_replace_clustered_by_strings_gets_range_shard_specs_that_prune(client, file_server):
    url = file_server.url("wikipedia.json")
    task = client.ingest(wiki_ingest(url, "ranged"), {"rowsPerSegment": 5000})
    assert segment_report(client, task) == {
        "shardSpec": "DimensionRangeShardSpec", "details": "Using RangeShardSpec to generate segments."}
    specs = [json.loads(r[0]) for r in client.sql_rows(
        "SELECT shard_spec FROM sys.segments WHERE datasource = 'ranged'")]
    assert len(specs) >= 8
    assert all(s["type"] == "range" and s["dimensions"] == ["channel"] for s in specs), specs
    assert all(s["numCorePartitions"] == len(specs) for s in specs)
    # The ranges tile the key space: one segment open below, one open above, each end the next start.
    ordered = sorted(specs, key=lambda s: (s["start"] is not None, s["start"] or [], s["end"] is None))
    assert ordered[0]["start"] is None and ordered[-1]["end"] is None
    for a, b in zip(ordered, ordered[1:]):
        assert a["end"] == b["start"], (a, b)

    # An INSERT copy has numbered shard specs (Druid appends never use ranges); every filter
    # answers the same on both, while the ranged table reads fewer segments for selective ones.
    insert = client.ingest(wiki_ingest(url, "numbered").replace("REPLACE INTO numbered OVERWRITE ALL",
                                                                   "INSERT INTO numbered"), {"rowsPerSegment": 5000})
    assert segment_report(client, insert) == {
        "shardSpec": "NumberedShardSpec",
        "details": "Using NumberedShardSpec to generate segments since the query is inserting rows."}
    for where in ("channel = '#de'", "channel IN ('#fr', '#ja', 'nope')", "channel < '#en'",
                  "channel <= '#en'", "channel > '#ru' OR channel = '#ar'", "channel >= '#vi'",
                  "'#it' = channel AND added > 10", "channel IS NULL", "channel IS NOT NULL",
                  "NOT (channel = '#en')", "channel LIKE '#e%'", "channel = '#en' OR added > 1000"):
        query = "SELECT COUNT(*), SUM(added) FROM {t} WHERE " + where
        assert client.sql_rows(query.format(t="ranged")) == client.sql_rows(query.format(t="numbered")), where

    def segments_read(where):
        task_id, _ = client.run_task(f"SELECT COUNT(*) FROM ranged WHERE {where}")
        counters = client.report_payload(task_id)["counters"]["0"]
        return sum(sum(w["input0"].get("files", [0])) for w in counters.values())

    assert segments_read("channel = '#de'") < len(specs) / 2
    assert segments_read("added > 0") == len(specs)


def test_replace_shard_spec_fallbacks(client):
    rows = [("2024-01-01T00:00:00Z", "a", 1), ("2024-01-01T01:00:00Z", "b", 2)]
    src = small_extern(rows)
    cases = [
        (f"REPLACE INTO f1 OVERWRITE ALL SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {src} PARTITIONED BY DAY",
         "Using NumberedShardSpec as no columns are supplied in the 'CLUSTERED BY' clause."),
        (f"REPLACE INTO f2 OVERWRITE ALL SELECT TIME_PARSE(ts) AS __time, dim, cnt FROM {src} "
         "PARTITIONED BY DAY CLUSTERED BY cnt",
         "Cannot use RangeShardSpec, RangedShardSpec only supports string CLUSTER BY keys. Using NumberedShardSpec instead."),
        (f"REPLACE INTO f3 OVERWRITE ALL SELECT TIME_PARSE(ts) AS __time, STRING_TO_MV(dim || ',x', ',') AS tags, cnt "
         f"FROM {src} PARTITIONED BY DAY CLUSTERED BY tags",
         "Cannot use RangeShardSpec, the fields in the CLUSTERED BY clause contains multivalued fields. "
         "Using NumberedShardSpec instead."),
    ]
    for query, details in cases:
        task = client.ingest(query)
        assert segment_report(client, task) == {"shardSpec": "NumberedShardSpec", "details": details}, query
    specs = [json.loads(r[0]) for r in client.sql_rows("SELECT shard_spec FROM sys.segments WHERE datasource = 'f3'")]
    assert [s["type"] for s in specs] == ["numbered"]
