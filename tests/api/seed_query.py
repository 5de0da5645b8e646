"""The seed's sample ingestion (shared/seeds/000_fb968e9ec5b7eabe.txt, "Submit a query", Python tab).

SEED_QUERY is the seed's query text verbatim (copied from its Python `requests` example).  Tests only
replace the public URI with a loopback one serving the same data (`seed_query(uri)`).
"""

SEED_URI = "https://druid.apache.org/data/wikipedia.json.gz"

SEED_CONTEXT = {"maxNumTasks": 3}

# Rows in shared/data/wikiticker-2015-09-12-sampled.json (the served copy of wikipedia.json.gz).
WIKIPEDIA_ROWS = 39244

SEED_QUERY = "INSERT INTO wikipedia\nSELECT\n TIME_PARSE(\"timestamp\") AS __time,\n *\nFROM TABLE(\n EXTERN(\n '{\"type\": \"http\", \"uris\": [\"https://druid.apache.org/data/wikipedia.json.gz\"]}',\n '{\"type\": \"json\"}',\n '[{\"name\": \"added\", \"type\": \"long\"}, {\"name\": \"channel\", \"type\": \"string\"}, {\"name\": \"cityName\", \"type\": \"string\"}, {\"name\": \"comment\", \"type\": \"string\"}, {\"name\": \"commentLength\", \"type\": \"long\"}, {\"name\": \"countryIsoCode\", \"type\": \"string\"}, {\"name\": \"countryName\", \"type\": \"string\"}, {\"name\": \"deleted\", \"type\": \"long\"}, {\"name\": \"delta\", \"type\": \"long\"}, {\"name\": \"deltaBucket\", \"type\": \"string\"}, {\"name\": \"diffUrl\", \"type\": \"string\"}, {\"name\": \"flags\", \"type\": \"string\"}, {\"name\": \"isAnonymous\", \"type\": \"string\"}, {\"name\": \"isMinor\", \"type\": \"string\"}, {\"name\": \"isNew\", \"type\": \"string\"}, {\"name\": \"isRobot\", \"type\": \"string\"}, {\"name\": \"isUnpatrolled\", \"type\": \"string\"}, {\"name\": \"metroCode\", \"type\": \"string\"}, {\"name\": \"namespace\", \"type\": \"string\"}, {\"name\": \"page\", \"type\": \"string\"}, {\"name\": \"regionIsoCode\", \"type\": \"string\"}, {\"name\": \"regionName\", \"type\": \"string\"}, {\"name\": \"timestamp\", \"type\": \"string\"}, {\"name\": \"user\", \"type\": \"string\"}]'\n )\n)\nPARTITIONED BY DAY"


def seed_query(uri, datasource="wikipedia"):
    """The seed query reading `uri` instead of SEED_URI (and, if asked, writing another datasource)."""
    assert SEED_QUERY.count(SEED_URI) == 1
    query = SEED_QUERY.replace(SEED_URI, uri)
    if datasource != "wikipedia":
        query = query.replace("INSERT INTO wikipedia\n", f"INSERT INTO {datasource}\n", 1)
    return query


# The signature of the seed's EXTERN, as the report prints it (native type names).
SEED_SIGNATURE = [
    {"name": name, "type": "LONG" if name in ("added", "commentLength", "deleted", "delta") else "STRING"}
    for name in [
        "added", "channel", "cityName", "comment", "commentLength", "countryIsoCode", "countryName",
        "deleted", "delta", "deltaBucket", "diffUrl", "flags", "isAnonymous", "isMinor", "isNew",
        "isRobot", "isUnpatrolled", "metroCode", "namespace", "page", "regionIsoCode", "regionName",
        "timestamp", "user",
    ]
]
