#!/usr/bin/env python3
"""Malformed and odd SQL never breaks the server.

Starts a strata server, ingests the golden suite's datasets (shared/conformance/setups.json and
tests/sql/setups.json), then sends mutated copies of the golden SELECT statements (tokens
deleted, inserted, duplicated or replaced; fixed seed, so a failure reproduces) to /druid/v2/sql.
Then it calls every function INFORMATION_SCHEMA.ROUTINES lists with random arguments (0 to 4,
drawn from columns and literals of every type). Every answer must be rows (200) or Druid's error
JSON with a 4xx status (or 5xx with a category other than an unexpected failure), and the server
must stay up throughout.

  sql_mutation_smoke.py --strata build/src/app/strata --shared ../shared [--count 3000] [--calls 3000] [--seed 7]
Exit status: 0 all answers well-formed; 1 otherwise (each bad answer is printed with its query).
"""
import argparse
import glob
import http.client
import json
import os
import random
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_conformance  # noqa: E402  (server start-up and setup ingestion)

SUITE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sql")
TOKENS = ["(", ")", ",", "NULL", "''", "'x'", "0", "-1", "1e308", "9223372036854775807", "SELECT", "FROM",
          "WHERE", "GROUP BY", "ORDER BY", "LIMIT", "JOIN", "ON", "AND", "OR", "NOT", "IN", "CASE", "WHEN",
          "THEN", "END", "CAST(", "AS", "ARRAY[", "]", "*", "/", "||", "__time", "dim1", "m1", "COUNT(*)",
          "OVER", "UNION ALL", "DISTINCT", "?", "TIMESTAMP", "'2000-01-01'", "INTERVAL", "::", "%",
          # function calls opened with any arguments that follow
          "MOD(", "POWER(", "SUBSTRING(", "TIME_FLOOR(", "TIME_SHIFT(", "TIME_FORMAT(", "LPAD(", "REPEAT(",
          "ARRAY_SLICE(", "ARRAY_OFFSET(", "MV_OFFSET(", "STRING_TO_MV(", "REGEXP_EXTRACT(", "TIMESTAMPADD(",
          "LATEST(", "EARLIEST_BY(", "STRING_AGG(", "ARRAY_AGG(", "APPROX_COUNT_DISTINCT(", "GREATEST(",
          "NULLIF(", "COALESCE(", "CASE WHEN", "STRPOS(", "SPLIT_PART(", "ROUND(", "TRUNCATE(", "BITWISE_SHIFT_LEFT(",
          "DATE_TRUNC(", "TIMESTAMPDIFF(", "MILLIS_TO_TIMESTAMP(", "ARRAY_TO_STRING(", "GROUPING(", "SAFE_DIVIDE("]


def golden_selects():
    out = []
    for path in sorted(glob.glob(os.path.join(SUITE_DIR, "*.jsonl"))):
        with open(path) as f:
            for line in f:
                sql = json.loads(line).get("sql") or ""
                if sql.lstrip().upper().startswith(("SELECT", "WITH", "EXPLAIN")):
                    out.append(sql)
    return out


def mutate(rnd, sql):
    toks = re.findall(r"'(?:[^']|'')*'|\w+|[^\s\w]", sql)
    for _ in range(rnd.randint(1, 3)):
        op = rnd.random()
        i = rnd.randrange(len(toks) + 1)
        if op < 0.3 and toks:
            del toks[min(i, len(toks) - 1)]
        elif op < 0.6:
            toks.insert(i, rnd.choice(TOKENS))
        elif op < 0.8 and toks:
            toks.insert(i, toks[rnd.randrange(len(toks))])
        elif toks:
            toks[min(i, len(toks) - 1)] = rnd.choice(TOKENS)
    return " ".join(toks)


ARGUMENTS = ["dim1", "dim2", "dim3", "m1", "m2", "cnt", "__time", "NULL", "''", "'x'", "'%a%'", "'P1D'", "'yyyy'",
             "0", "1", "-1", "2.5", "-0.0", "9223372036854775807", "1e308", "TIMESTAMP '2000-01-01 00:00:00'",
             "DATE '2000-01-02'", "ARRAY[1, 2]", "ARRAY['a', NULL]", "ARRAY[]", "TRUE", "CAST(NULL AS BIGINT)",
             "CAST(NULL AS VARCHAR)", "INTERVAL '1' DAY", "'a,b'", "','", "'\\d+'", "REPEAT('ab', 3000)"]


def function_call(rnd, name):
    args = [rnd.choice(ARGUMENTS) for _ in range(rnd.randint(0, 4))]
    where = rnd.choice(["", " WHERE dim1 <> 'zz'", " GROUP BY dim2"])
    select = name + "(" + ", ".join(args) + ")"
    if where == " GROUP BY dim2":
        select = "dim2, " + select
    return "SELECT " + select + " FROM foo" + where


def check(base_url, query):
    """None when the answer is well-formed, else what is wrong."""
    body = json.dumps({"query": query, "context": {"timeout": 20000}}).encode()
    request = urllib.request.Request(base_url + "/druid/v2/sql", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return None
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")
        try:
            error = json.loads(text)
        except ValueError:
            return "HTTP %d without an error JSON: %s" % (e.code, text[:200])
        if "errorMessage" not in error or "category" not in error:
            return "HTTP %d error JSON without errorMessage/category: %s" % (e.code, text[:200])
        if e.code >= 500 and error["category"] not in ("CANCELED", "TIMEOUT", "CAPACITY_EXCEEDED"):
            return "HTTP %d %s: %s" % (e.code, error["category"], error["errorMessage"][:200])
        return None
    except http.client.IncompleteRead:
        # A runtime error after the first rows were sent can only cut the stream short (as in
        # Druid); that is fine as long as the server is still there.
        return None if healthy(base_url) else "the response stopped short and the server is gone"
    except Exception as e:  # connection reset, timeout: the server may be gone
        return "%s: %s" % (type(e).__name__, e)


def healthy(base_url):
    try:
        with urllib.request.urlopen(base_url + "/status/health", timeout=10) as response:
            return response.read() == b"true"
    except Exception:
        return False


def client_rows(base_url, query):
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(base_url + "/druid/v2/sql", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strata", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    shared = os.path.abspath(args.shared)
    with open(os.path.join(shared, "conformance", "setups.json")) as f:
        setups = json.load(f)
    with open(os.path.join(SUITE_DIR, "setups.json")) as f:
        setups.update(json.load(f))
    workdir = tempfile.mkdtemp(prefix="strata-mutation-smoke-")
    server = run_conformance.StrataServer(os.path.abspath(args.strata), workdir)
    bad = 0
    try:
        server.start()
        client = run_conformance.Client(server.base_url)
        runner_args = argparse.Namespace(suite=SUITE_DIR)
        runner = run_conformance.Runner(runner_args, client, setups, os.path.join(shared, "data"))
        for name, spec in setups.items():
            if spec.get("ingest_sql"):
                err = runner.ensure_setup(name)
                if err:
                    print("setup %s failed: %s" % (name, err), flush=True)
                    return 1
        rnd = random.Random(args.seed)
        queries = golden_selects()
        names = sorted(r["ROUTINE_NAME"] for r in client_rows(server.base_url,
                                                            "SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES"))
        generated = [lambda: mutate(rnd, rnd.choice(queries))] * args.count
        generated += [lambda i=i: function_call(rnd, names[i % len(names)]) for i in range(args.calls)]
        for make_query in generated:
            query = make_query()
            problem = check(server.base_url, query)
            if problem:
                bad += 1
                print("BAD %s\n    query: %s" % (problem, query), flush=True)
                if not server.alive():
                    print("the server died; log tail:\n" + server.log_tail(), flush=True)
                    return 1
        print("%d mutated queries and %d function calls over %d functions, %d bad answers"
              % (args.count, args.calls, len(names), bad), flush=True)
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
