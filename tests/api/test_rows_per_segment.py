"""rowsPerSegment: time chunks with more rows are cut into several segments along CLUSTERED BY."""

from druid_client import DruidClient

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
