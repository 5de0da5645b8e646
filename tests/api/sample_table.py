"""A four-row table with a comma/quote string, a NULL string, an empty string and a NULL long.

Columns are ingested in the order __time, cnt, dim; Druid 24+ lists a table's columns in ingestion order
(apache/druid#12754), which here is also their sorted order.
"""

from druid_client import small_extern

TABLE = "fmt"

SOURCE_ROWS = [
    ("2024-01-01T00:00:00Z", "a", 1),
    ("2024-01-02T12:30:00Z", 'b,"c"', 2),
    ("2024-01-03T00:00:00Z", None, 3),
    ("2024-01-04T00:00:00Z", "", None),
]

# SELECT __time, dim, cnt FROM fmt ORDER BY __time, as the SQL API returns it (ISO times in UTC).
QUERY = f"SELECT __time, dim, cnt FROM {TABLE} ORDER BY __time"
ROWS = [
    ["2024-01-01T00:00:00.000Z", "a", 1],
    ["2024-01-02T12:30:00.000Z", 'b,"c"', 2],
    ["2024-01-03T00:00:00.000Z", None, 3],
    ["2024-01-04T00:00:00.000Z", "", None],
]
EPOCH_MILLIS = [1704067200000, 1704198600000, 1704240000000, 1704326400000]


def ingest(client):
    """Creates the table; returns the task id."""
    return client.ingest(
        f"REPLACE INTO {TABLE} OVERWRITE ALL\n"
        "SELECT TIME_PARSE(ts) AS __time, cnt, dim\n"
        f"FROM {small_extern(SOURCE_ROWS)}\n"
        "PARTITIONED BY DAY"
    )
