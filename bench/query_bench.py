#!/usr/bin/python3
"""Query benchmark: Strata's interactive SQL (POST /druid/v2/sql) against DuckDB, on the same
wikipedia events.

  1. the input: N wikipedia-shaped events from wikigen, cached in bench/out/ (as ingest_bench.py);
  2. DuckDB: the file loaded into table `wiki` of a database file cached in bench/out/
     (bench/duckdb_query.mjs load; Strata's stored schema, sorted by day then channel), then every
     query run there (bench/duckdb_query.mjs run) with DuckDB's default settings;
  3. Strata: a server on a free loopback port (a private copy of the binary), the file ingested
     with the ingestion benchmark's INSERT ... PARTITIONED BY DAY CLUSTERED BY channel
     (maxNumTasks = 3) into a fresh data dir (or one kept by --reuse-data-dir), then every query
     sent over HTTP with resultFormat "array";
  4. per query: one checked run on each system (results compared: exact, or within 5 % for
     approximate queries), one warm-up, then 5 timed runs; the median is reported.

Strata's time is the wall time of the HTTP request from this process, reading the whole response
(a new connection per request); DuckDB's is connection.runAndReadAll + getRows in the node process.
Prints one table (ratio = (Strata ms + 10) / (DuckDB ms + 10)) and the geometric mean of the
ratios of the queries whose results agree; writes everything to bench/out/query_results.json.

Only the standard library is used; run it with /usr/bin/python3 (bench/run.sh queries does).
"""
import argparse
import datetime
import http.client
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import ingest_bench as ib
from ingest_bench import log, human_rows

BENCH_DIR = ib.BENCH_DIR
ROOT_DIR = ib.ROOT_DIR
DUCKDB_SCHEMA_VERSION = 1  # bump when duckdb_query.mjs's table changes: cached files reload
MARKER = "query-bench.json"  # in a --reuse-data-dir: what was ingested there
START_DAY = datetime.date(2015, 9, 12)  # wikigen's default --start


# ---------------------------------------------------------------------------------------------
# The queries


def make_queries(args):
    """Each query once for Strata (Druid SQL) and once for DuckDB. Ties of ORDER BY ... LIMIT are
    broken by the group keys so that both systems must return the same rows."""
    day = START_DAY + datetime.timedelta(days=min(3, args.days - 1))
    day_from = f"{day.isoformat()} 00:00:00"
    day_to = f"{(day + datetime.timedelta(days=1)).isoformat()} 00:00:00"
    queries = [
        ("count", "SELECT COUNT(*) FROM wiki", None),
        ("topn_channel",
         "SELECT channel, COUNT(*) AS edits, SUM(added) AS added FROM wiki\n"
         "GROUP BY channel ORDER BY edits DESC, channel LIMIT 10", None),
        ("hourly",
         "SELECT FLOOR(__time TO HOUR) AS \"hour\", COUNT(*) AS edits, SUM(added) AS added FROM wiki\n"
         "GROUP BY 1 ORDER BY 1",
         "SELECT date_trunc('hour', __time) AS \"hour\", COUNT(*) AS edits, SUM(added) AS added FROM wiki\n"
         "GROUP BY 1 ORDER BY 1"),
        ("filter_2dims",
         "SELECT COUNT(*) FROM wiki WHERE channel = '#en.wikipedia' AND isRobot = 'true'", None),
        ("count_distinct_exact", "SELECT COUNT(DISTINCT \"user\") FROM wiki", None,
         {"useApproximateCountDistinct": False}),
        # Checked against the exact count (DuckDB's COUNT(DISTINCT)): DuckDB's own estimate is
        # reported but not used as the reference, its HyperLogLog is much coarser.
        ("count_distinct_approx", "SELECT APPROX_COUNT_DISTINCT(\"user\") FROM wiki",
         "SELECT approx_count_distinct(\"user\") FROM wiki", None,
         "SELECT COUNT(DISTINCT \"user\") FROM wiki"),
        ("top_pages_one_day",
         f"SELECT page, SUM(added) AS added FROM wiki\n"
         f"WHERE __time >= TIMESTAMP '{day_from}' AND __time < TIMESTAMP '{day_to}'\n"
         f"GROUP BY page ORDER BY added DESC, page LIMIT 10", None),
        ("groupby_2dims",
         "SELECT channel, namespace, COUNT(*) AS edits, SUM(delta) AS delta FROM wiki\n"
         "GROUP BY channel, namespace ORDER BY edits DESC, channel, namespace LIMIT 20", None),
        ("like_filter", "SELECT COUNT(*) FROM wiki WHERE page LIKE '%Talk%'", None),
        ("min_max_time", "SELECT MIN(__time), MAX(__time) FROM wiki", None),
        ("topn_user",
         "SELECT \"user\", COUNT(*) AS edits FROM wiki\n"
         "GROUP BY \"user\" ORDER BY edits DESC, \"user\" LIMIT 10", None),
        ("multi_filter_per_day",
         "SELECT FLOOR(__time TO DAY) AS \"day\", COUNT(*) AS edits, SUM(delta) AS delta FROM wiki\n"
         "WHERE channel IN ('#en.wikipedia', '#de.wikipedia', '#fr.wikipedia') AND namespace = 'Main'\n"
         "  AND isAnonymous = 'false'\n"
         "GROUP BY 1 ORDER BY 1",
         "SELECT date_trunc('day', __time) AS \"day\", COUNT(*) AS edits, SUM(delta) AS delta FROM wiki\n"
         "WHERE channel IN ('#en.wikipedia', '#de.wikipedia', '#fr.wikipedia') AND namespace = 'Main'\n"
         "  AND isAnonymous = 'false'\n"
         "GROUP BY 1 ORDER BY 1"),
    ]
    result = []
    for q in queries:
        name, strata_sql, duckdb_sql = q[:3]
        context = q[3] if len(q) > 3 and q[3] else {}
        reference = q[4] if len(q) > 4 else None
        result.append({"name": name, "strata_sql": strata_sql, "duckdb_sql": duckdb_sql or strata_sql,
                       "context": context, "approximate": reference is not None,
                       "duckdb_reference_sql": reference})
    if args.queries:
        wanted = [w.strip() for w in args.queries.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in {q["name"] for q in result}]
        if unknown:
            raise SystemExit(f"unknown queries {unknown}; known: {[q['name'] for q in result]}")
        result = [q for q in result if q["name"] in wanted]
    return result


# ---------------------------------------------------------------------------------------------
# Machine load


def own_cpu_seconds():
    t = os.times()
    return t.user + t.system


class Load:
    """Other load (cores busy with processes other than `pids` and this one) over an interval."""

    def __init__(self, pids=()):
        self.pids = list(pids)
        self._busy = ib.busy_cpu_seconds()
        self._cpu = self._measured_cpu()
        self._start = time.monotonic()

    def _measured_cpu(self):
        total = own_cpu_seconds()
        for pid in self.pids:
            total += ib.read_cpu_seconds(pid) or 0.0
        return total

    def result(self):
        wall = time.monotonic() - self._start
        cpu = self._measured_cpu() - self._cpu
        other = max(0.0, (ib.busy_cpu_seconds() - self._busy - cpu) / wall) if wall > 0 else None
        return {"wall_seconds": wall, "cpu_seconds": cpu, "other_load_cores": other}


def wait_idle(args, pids=(), what=""):
    """Waits (at most --idle-wait s) until other processes use < --idle-threshold cores over 1 s.
    Returns (seconds waited, other cores in the last second)."""
    start = time.monotonic()
    warned = False
    while True:
        load = Load(pids)
        time.sleep(1)
        cores = load.result()["other_load_cores"]
        waited = time.monotonic() - start
        if cores < args.idle_threshold or waited >= args.idle_wait:
            if warned or cores >= args.idle_threshold:
                log(f"  {what}: other load {cores:.2f} cores after waiting {waited:.0f} s")
            return waited, cores
        if not warned:
            log(f"  {what}: waiting for the machine to be idle (other load {cores:.2f} cores)")
            warned = True


def load_snapshot():
    with open("/proc/loadavg") as f:
        return f.read().strip()


# ---------------------------------------------------------------------------------------------
# Results


ISO_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$")


def normalise(value):
    """Numbers as int when integral, timestamps as ISO-8601 millisecond UTC strings."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if isinstance(value, str):
        m = ISO_RE.match(value)
        if m:
            fraction = (m.group(3) or ".000")[1:]
            return f"{m.group(1)}T{m.group(2)}.{(fraction + '000')[:3]}Z"
        if re.fullmatch(r"-?\d{16,}", value):  # a big integer duckdb_query.mjs passed as text
            return int(value)
    return value


def compare(strata_rows, duckdb_rows, approximate, tolerance):
    """(equal, detail): exact after normalisation; approximate queries: numbers within tolerance."""
    if not isinstance(strata_rows, list) or not isinstance(duckdb_rows, list):
        return False, "not a list of rows"
    if len(strata_rows) != len(duckdb_rows):
        return False, f"{len(strata_rows)} rows vs {len(duckdb_rows)}"
    worst = 0.0
    for i, (a, b) in enumerate(zip(strata_rows, duckdb_rows)):
        if not isinstance(a, list) or len(a) != len(b):
            return False, f"row {i}: {json.dumps(a)[:200]} vs {json.dumps(b)[:200]}"
        for j, (x, y) in enumerate(zip(a, b)):
            x, y = normalise(x), normalise(y)
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y))
            if numeric and (approximate or isinstance(x, float) or isinstance(y, float)):
                limit = tolerance if approximate else 1e-9
                error = abs(x - y) / max(abs(x), abs(y), 1e-300)
                worst = max(worst, error)
                if error > limit:
                    return False, f"row {i} column {j}: {x} vs {y} ({error * 100:.2f} % apart)"
            elif x != y:
                return False, f"row {i} column {j}: {json.dumps(x)} vs {json.dumps(y)}"
    return True, (f"{worst * 100:.2f} % off" if approximate else "equal")


def abbreviate(rows, limit=300):
    text = json.dumps(rows, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"... ({len(rows)} rows)"


def median(values):
    return statistics.median(values) if values else None


# ---------------------------------------------------------------------------------------------
# DuckDB


def duckdb_database(args, input_path, num_rows):
    """The cached DuckDB file for input_path, loading it when missing or stale."""
    stem = os.path.splitext(os.path.basename(input_path))[0]
    db_path = os.path.join(args.out_dir, stem + ".duckdb")
    meta_path = db_path + ".json"
    key = {"input": os.path.basename(input_path), "input_bytes": os.path.getsize(input_path),
           "input_mtime": os.path.getmtime(input_path), "schema_version": DUCKDB_SCHEMA_VERSION,
           "rows": num_rows}
    if os.path.exists(db_path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("key") == key:
            log(f"duckdb: database {db_path} cached")
            return db_path, dict(meta.get("load", {}), cached=True)
        log(f"duckdb: {db_path} is stale, reloading")
    for path in (db_path, db_path + ".wal", meta_path):
        if os.path.exists(path):
            os.remove(path)
    partial = db_path + ".partial"
    for path in (partial, partial + ".wal"):
        if os.path.exists(path):
            os.remove(path)
    log(f"duckdb: loading {input_path} into {db_path}")
    completed = subprocess.run(["node", os.path.join(BENCH_DIR, "duckdb_query.mjs"), "load",
                                input_path, partial], capture_output=True, text=True, cwd=BENCH_DIR)
    if completed.returncode != 0:
        raise RuntimeError(f"duckdb load failed ({completed.returncode}): {completed.stderr[-2000:]}")
    load = json.loads(completed.stdout)
    if load["count"] != num_rows:
        raise RuntimeError(f"duckdb loaded {load['count']} rows, expected {num_rows}")
    os.rename(partial, db_path)
    with open(meta_path, "w") as f:
        json.dump({"key": key, "load": load}, f, indent=1)
    log(f"duckdb: loaded in {load['seconds']:.1f} s ({load['db_file_bytes'] / 1e6:.0f} MB)")
    return db_path, dict(load, cached=False)


def run_duckdb(args, queries, db_path):
    spec = {"queries": [{"name": q["name"], "sql": q["duckdb_sql"],
                         "reference_sql": q["duckdb_reference_sql"]} for q in queries],
            "runs": args.runs, "warmup": args.warmup, "budget_seconds": args.query_budget,
            "clock_ticks": ib.CLOCK_TICKS,
            "idle_wait_seconds": args.idle_wait, "idle_threshold_cores": args.idle_threshold,
            "busy_retries": args.busy_retries}
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="duckdb-query-spec-",
                                     dir=args.tmp_dir, delete=False) as f:
        json.dump(spec, f)
        spec_path = f.name
    try:
        process = subprocess.Popen(["node", os.path.join(BENCH_DIR, "duckdb_query.mjs"), "run",
                                    db_path, spec_path], stdout=subprocess.PIPE, stderr=None,
                                   cwd=BENCH_DIR)
        stdout, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"duckdb_query.mjs exited with {process.returncode}")
        return json.loads(stdout)
    finally:
        os.remove(spec_path)


# ---------------------------------------------------------------------------------------------
# Strata


class StrataError(Exception):
    pass


def strata_request(server, sql, context, timeout):
    """Runs one query; returns (milliseconds, response bytes). The time covers sending the
    request through reading the last byte of the response, on a new connection."""
    query_id = "bench-" + uuid.uuid4().hex
    body = json.dumps({"query": sql, "resultFormat": "array",
                       "context": dict(context, sqlQueryId=query_id)}).encode()
    headers = {"Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        start = time.perf_counter()
        connection.request("POST", "/druid/v2/sql", body, headers)
        response = connection.getresponse()
        data = response.read()
        ms = (time.perf_counter() - start) * 1000
    except (socket.timeout, TimeoutError):
        cancel_strata_query(server, query_id)
        raise StrataError(f"no answer within {timeout:g} s (cancelled {query_id})")
    finally:
        connection.close()
    if response.status != 200:
        raise StrataError(f"HTTP {response.status}: {data.decode(errors='replace')[:2000]}")
    return ms, data


def cancel_strata_query(server, query_id):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("DELETE", f"/druid/v2/sql/{query_id}")
        connection.getresponse().read()
        connection.close()
    except OSError as e:
        log(f"  cancelling {query_id} failed: {e}")


def strata_count(server):
    _, data = strata_request(server, "SELECT COUNT(*) FROM wiki", {}, 120)
    return json.loads(data)[0][0]


def wait_for_rows(server, num_rows, timeout):
    """Waits until SELECT COUNT(*) answers num_rows (segments are loaded after the task ends)."""
    deadline = time.monotonic() + timeout
    count = None
    while True:
        try:
            count = strata_count(server)
        except (StrataError, OSError, ValueError, IndexError) as e:
            count = f"{type(e).__name__}: {e}"
        if count == num_rows or time.monotonic() > deadline:
            return count
        if server.process.poll() is not None:
            return f"strata exited with code {server.process.returncode}"
        time.sleep(0.5)


def ingest(server, input_path, num_rows, args):
    """Runs the ingestion benchmark's INSERT; returns a dict with its timing or raises."""
    submitted = time.monotonic()
    try:
        task = ib.http_json("POST", server.url + "/druid/v2/sql/task",
                            {"query": ib.ingest_sql(input_path),
                             "context": {"maxNumTasks": args.max_num_tasks}})
    except ib.urllib.error.HTTPError as e:
        raise RuntimeError(f"ingestion submit failed: {ib.http_error_text(e)}")
    task_id = task["taskId"]
    last_report = submitted
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"strata exited with code {server.process.returncode} during ingestion")
        if time.monotonic() - submitted > args.ingest_timeout:
            raise RuntimeError(f"ingestion task {task_id} not done after {args.ingest_timeout} s")
        status = ib.http_json("GET", f"{server.url}/druid/indexer/v1/task/{task_id}/status",
                              timeout=30)["status"]
        if status.get("status") == "SUCCESS":
            break
        if status.get("status") == "FAILED":
            raise RuntimeError(f"ingestion task {task_id} FAILED: {json.dumps(status)[:2000]}")
        if time.monotonic() - last_report >= 30:
            log(f"  ... {time.monotonic() - submitted:.0f} s, status {status.get('status')}")
            last_report = time.monotonic()
        time.sleep(0.25)
    seconds = time.monotonic() - submitted
    count = wait_for_rows(server, num_rows, 300)
    if count != num_rows:
        raise RuntimeError(f"after ingestion SELECT COUNT(*) returned {count}, expected {num_rows}")
    return {"task_id": task_id, "seconds": seconds,
            "seconds_to_queryable": time.monotonic() - submitted}


def ingestion_key(input_path, num_rows, args):
    return {"input": os.path.abspath(input_path), "input_bytes": os.path.getsize(input_path),
            "input_mtime": os.path.getmtime(input_path), "rows": num_rows,
            "max_num_tasks": args.max_num_tasks}


def run_strata(args, queries, input_path, num_rows, report):
    """Starts the server, ingests (unless a reused data dir already holds the input), runs the
    queries. Fills report["strata"]; always stops the server and removes a temporary data dir."""
    out = report["strata"] = {"queries": []}
    key = ingestion_key(input_path, num_rows, args)
    reuse = False
    if args.reuse_data_dir:
        data_dir = os.path.abspath(args.reuse_data_dir)
        marker = os.path.join(data_dir, MARKER)
        if os.path.exists(marker):
            with open(marker) as f:
                previous = json.load(f)
            if previous.get("key") == key:
                reuse = True
                out["reused_ingestion"] = previous
            else:
                log(f"strata: {data_dir} holds another input; ingesting again")
        if not reuse and os.path.exists(data_dir):
            if os.listdir(data_dir) and not os.path.exists(marker):
                raise SystemExit(f"--reuse-data-dir {data_dir} exists but was not made by this "
                                 f"benchmark ({MARKER} missing); refusing to delete it")
            shutil.rmtree(data_dir)
        os.makedirs(data_dir, exist_ok=True)
        temporary = False
    else:
        data_dir = tempfile.mkdtemp(prefix=f"strata-query-bench-{human_rows(num_rows)}-",
                                    dir=args.tmp_dir)
        temporary = not args.keep_data_dir
    out["data_dir"] = data_dir
    log_path = os.path.join(args.out_dir, f"strata-query-{human_rows(num_rows)}.log")
    server = ib.StrataServer(args.strata, data_dir, log_path, args.worker_memory_mb)
    out["pid"] = server.pid
    try:
        server.wait_ready()
        log(f"strata: pid {server.pid} on port {server.port}, data dir {data_dir}, log {log_path}")
        if reuse:
            count = wait_for_rows(server, num_rows, 300)
            if count != num_rows:
                log(f"strata: reused data dir answers COUNT(*) = {count}; ingesting again")
                reuse = False
                out.pop("reused_ingestion", None)
                server.stop()
                shutil.rmtree(data_dir)
                os.makedirs(data_dir)
                server = ib.StrataServer(args.strata, data_dir, log_path, args.worker_memory_mb)
                out["pid"] = server.pid
                server.wait_ready()
            else:
                log(f"strata: reusing the {human_rows(num_rows)} rows ingested in {data_dir}")
                made_by = out["reused_ingestion"].get("strata_binary_mtime")
                if made_by != report["strata_binary_mtime"]:
                    log(f"strata: note: ingested by the binary of {made_by}, querying with the "
                        f"binary of {report['strata_binary_mtime']}")
        if not reuse:
            log(f"strata: ingesting {human_rows(num_rows)} rows")
            out["ingestion"] = ingest(server, input_path, num_rows, args)
            log(f"strata: ingested in {out['ingestion']['seconds']:.1f} s")
            if args.reuse_data_dir:
                with open(os.path.join(data_dir, MARKER), "w") as f:
                    json.dump({"key": key, "ingestion": out["ingestion"],
                               "strata_binary_mtime": report["strata_binary_mtime"]}, f, indent=1)
        for query in queries:
            out["queries"].append(run_strata_query(args, server, query))
        out["vm_hwm_kb"] = ib.read_status_kb(server.pid, "VmHWM")
    finally:
        server.stop()
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            log(f"strata: kept data dir {data_dir}")


def run_strata_query(args, server, query):
    result = {"name": query["name"], "sql": query["strata_sql"], "context": query["context"],
              "times_ms": []}
    try:
        ms, data = strata_request(server, query["strata_sql"], query["context"], args.query_timeout)
        result["check_ms"] = ms
        result["rows"] = json.loads(data)
        # Timed runs; when other processes were busy meanwhile, wait for quiet and time again
        # (at most --busy-retries times), keeping the attempt with the least other load.
        result["attempts"] = []
        for _ in range(args.busy_retries + 1):
            attempt = {"times_ms": []}
            if args.idle_wait > 0:
                attempt["idle_waited_seconds"], attempt["idle_cores_before"] = wait_idle(
                    args, [server.pid], f"strata {query['name']}")
            load = Load([server.pid])  # over warm-up and timed runs
            for _ in range(args.warmup):
                strata_request(server, query["strata_sql"], query["context"], args.query_timeout)
            timed_start = time.monotonic()
            spent = 0.0
            differing = 0
            while len(attempt["times_ms"]) < args.runs and (not attempt["times_ms"]
                                                           or spent < args.query_budget * 1000):
                ms, run_data = strata_request(server, query["strata_sql"], query["context"],
                                              args.query_timeout)
                attempt["times_ms"].append(ms)
                spent += ms
                differing += run_data != data
            attempt["timed_seconds"] = time.monotonic() - timed_start
            # /proc/stat counts in clock ticks: measure other load over at least one second.
            time.sleep(max(0.0, 1 - (time.monotonic() - timed_start)))
            measured = load.result()
            attempt.update(cpu_seconds=measured["cpu_seconds"],
                           other_load_cores=measured["other_load_cores"],
                           load_window_seconds=measured["wall_seconds"])
            if differing:
                attempt["runs_with_other_results"] = differing
            result["attempts"].append(attempt)
            if attempt["other_load_cores"] <= args.idle_threshold:
                break
            log(f"strata {query['name']}: other load {attempt['other_load_cores']:.2f} cores, "
                f"timing again")
        result.update(min(result["attempts"], key=lambda a: a["other_load_cores"]))
    except (StrataError, OSError, ValueError) as e:
        result["error"] = f"{type(e).__name__}: {e}" if not isinstance(e, StrataError) else str(e)
        if server.process.poll() is not None:
            result["error"] += f" (strata exited with code {server.process.returncode})"
    log(f"strata {query['name']}: " + (f"ERROR {result['error'][:300]}" if "error" in result else
                                       " ".join(f"{t:.1f}" for t in result["times_ms"]) + " ms"))
    return result


# ---------------------------------------------------------------------------------------------
# Report


def combine(queries, report, args):
    """One entry per query: both medians, ratio, check status."""
    strata = {q["name"]: q for q in report.get("strata", {}).get("queries", [])}
    duckdb = {q["name"]: q for q in report.get("duckdb", {}).get("queries", [])}
    rows = []
    for query in queries:
        s, d = strata.get(query["name"], {}), duckdb.get(query["name"], {})
        entry = {"name": query["name"], "approximate": query["approximate"],
                 "strata_ms": median(s.get("times_ms")), "duckdb_ms": median(d.get("times_ms")),
                 "strata_runs": len(s.get("times_ms", [])), "duckdb_runs": len(d.get("times_ms", []))}
        if not s:
            entry["status"], entry["detail"] = "NOT RUN", "strata did not run"
        elif "error" in s:
            entry["status"], entry["detail"] = "STRATA ERROR", s["error"]
        elif not d or "error" in d:
            entry["status"], entry["detail"] = "DUCKDB ERROR", d.get("error", "not run")
        else:
            # An approximate query is checked against the exact answer (reference_rows).
            expected = d.get("reference_rows", d["rows"])
            equal, detail = compare(s["rows"], expected, query["approximate"], args.tolerance)
            entry["status"] = ("ok" if equal else "MISMATCH")
            entry["detail"] = detail
            if query["approximate"]:
                _, duckdb_detail = compare(d["rows"], expected, True, math.inf)
                entry["detail"] = (f"Strata {abbreviate(s['rows'], 60)} {detail}, DuckDB "
                                   f"{abbreviate(d['rows'], 60)} {duckdb_detail} the exact "
                                   f"{abbreviate(expected, 60)}")
            if not equal:
                entry["strata_result"] = abbreviate(s["rows"])
                entry["duckdb_result"] = abbreviate(expected)
        if entry["strata_ms"] is not None and entry["duckdb_ms"] is not None:
            entry["ratio"] = (entry["strata_ms"] + 10) / (entry["duckdb_ms"] + 10)
        entry["strata_other_load_cores"] = s.get("other_load_cores") or 0
        entry["duckdb_other_load_cores"] = d.get("other_load_cores") or 0
        rows.append(entry)
    passed = [e["ratio"] for e in rows if e["status"] == "ok" and e.get("ratio")]
    geomean = math.exp(sum(math.log(r) for r in passed) / len(passed)) if passed else None
    return rows, geomean, len(passed)


def busy_mark(cores, args):
    return "*" if cores > args.idle_threshold else ""


def print_table(entries, geomean, passed, report, args):
    def fmt(v, spec):
        return "—" if v is None else format(v, spec)

    header = ["#", "query", "Strata ms", "DuckDB ms", "ratio", "check"]
    table = [header]
    for i, e in enumerate(entries, 1):
        status = e["status"] + (" (approximate, see below)" if e["approximate"] else "")
        table.append([str(i), e["name"],
                      fmt(e["strata_ms"], ",.1f") + busy_mark(e["strata_other_load_cores"], args),
                      fmt(e["duckdb_ms"], ",.1f") + busy_mark(e["duckdb_other_load_cores"], args),
                      fmt(e.get("ratio"), ".2f"), status])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for i, row in enumerate(table):
        lines.append("| " + " | ".join(cell.rjust(widths[j]) if j in (0, 2, 3, 4) else cell.ljust(widths[j])
                                       for j, cell in enumerate(row)) + " |")
        if i == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines))
    print(f"\ngeometric mean of (Strata ms + 10) / (DuckDB ms + 10) over the {passed} of "
          f"{len(entries)} queries whose results agree: {fmt(geomean, '.2f')}")
    if any(busy_mark(e[k], args) for e in entries
           for k in ("strata_other_load_cores", "duckdb_other_load_cores")):
        print(f"* other processes kept more than {args.idle_threshold} cores busy while this was "
              f"timed (see other_load_cores in the JSON): pessimistic on a {os.cpu_count()}-core machine")
    for e in entries:
        if e["approximate"] and e["status"] in ("ok", "MISMATCH"):
            print(f"\n{e['name']} ({e['status']}, tolerance {args.tolerance * 100:g} % of the exact "
                  f"count): {e['detail']}")
        elif e["status"] != "ok":
            print(f"\n{e['name']}: {e['status']}: {e['detail'][:1000]}")
            if "strata_result" in e:
                print(f"  strata: {e['strata_result']}\n  duckdb: {e['duckdb_result']}")


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="10M", help="row count (10000000 or 10M), default 10M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--queries", default=None, help="comma-separated query names (default all)")
    parser.add_argument("--systems", default="strata,duckdb", help="strata, duckdb or both")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median reported)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them")
    parser.add_argument("--query-budget", type=float, default=300,
                        help="stop timing a query after this many seconds of timed runs (>= 1 run)")
    parser.add_argument("--query-timeout", type=float, default=600,
                        help="seconds to wait for one Strata query before cancelling it")
    parser.add_argument("--tolerance", type=float, default=0.05,
                        help="relative difference allowed for approximate queries")
    parser.add_argument("--idle-wait", type=float, default=60,
                        help="before timing each query wait up to this many seconds for other "
                             "processes to go quiet (0: do not wait)")
    parser.add_argument("--busy-retries", type=int, default=2,
                        help="time a query again (after waiting for quiet) up to this many times "
                             "when other processes were busy during its timed runs")
    parser.add_argument("--idle-threshold", type=float, default=0.25,
                        help="cores other processes may use for the machine to count as idle")
    parser.add_argument("--max-num-tasks", type=int, default=3)
    parser.add_argument("--worker-memory-mb", type=int, default=None)
    parser.add_argument("--ingest-timeout", type=float, default=3600)
    parser.add_argument("--reuse-data-dir", default=None, metavar="DIR",
                        help="Strata data dir kept between runs: ingests only when it does not "
                             "already hold this input")
    parser.add_argument("--keep-data-dir", action="store_true",
                        help="keep the temporary Strata data dir")
    parser.add_argument("--out-dir", default=os.path.join(BENCH_DIR, "out"),
                        help="cached inputs and DuckDB files, logs, results")
    parser.add_argument("--tmp-dir", default=None, help="parent of the temporary dirs")
    parser.add_argument("--strata", default=os.path.join(ROOT_DIR, "build", "src", "app", "strata"))
    parser.add_argument("--wikigen", default=os.path.join(ROOT_DIR, "build", "bench", "wikigen"))
    args = parser.parse_args()

    counts = ib.parse_rows(args.rows)
    if len(counts) != 1:
        raise SystemExit("--rows takes one row count")
    num_rows = counts[0]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    os.makedirs(args.out_dir, exist_ok=True)
    queries = make_queries(args)
    ib.ensure_binary(args.wikigen, "wikigen")
    if "strata" in systems:
        ib.ensure_binary(args.strata, "strata")
    if "duckdb" in systems and not os.path.isdir(os.path.join(BENCH_DIR, "node_modules", "@duckdb")):
        log("installing @duckdb/node-api")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=BENCH_DIR, check=True)

    started = time.monotonic()
    report = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "git": ib.git_revision(),
              "nproc": os.cpu_count(), "rows": num_rows, "seed": args.seed, "days": args.days,
              "runs": args.runs, "warmup": args.warmup, "loadavg_start": load_snapshot(),
              "queries": queries}
    binary_dir = tempfile.mkdtemp(prefix="strata-query-bench-bin-", dir=args.tmp_dir)
    try:
        if "strata" in systems:
            # A private copy: the build tree may be rebuilt while we measure.
            report["strata_binary"] = args.strata
            report["strata_binary_mtime"] = time.strftime(
                "%Y-%m-%dT%H:%M:%S", time.localtime(os.path.getmtime(args.strata)))
            args.strata = shutil.copy2(args.strata, os.path.join(binary_dir, "strata"))
            report["strata_version"] = subprocess.run(
                [args.strata, "version"], capture_output=True, text=True).stdout.strip()
        log(f"source {report['git']}, {report['nproc']} cores, {len(queries)} queries, "
            f"{human_rows(num_rows)} rows")
        input_path = ib.ensure_input(args, num_rows)
        report["input"] = input_path
        report["input_bytes"] = os.path.getsize(input_path)
        if "duckdb" in systems:
            try:
                db_path, report["duckdb_load"] = duckdb_database(args, input_path, num_rows)
                log("duckdb: running the queries")
                load = Load()
                report["duckdb"] = run_duckdb(args, queries, db_path)
                report["duckdb"]["load_during_run"] = load.result()
            except Exception as e:  # noqa: BLE001 - Strata's side still runs
                log(f"duckdb FAILED: {type(e).__name__}: {e}")
                report["duckdb"] = {"error": f"{type(e).__name__}: {e}", "queries": []}
        if "strata" in systems:
            try:
                run_strata(args, queries, input_path, num_rows, report)
            except Exception as e:  # noqa: BLE001 - report what was measured
                log(f"strata FAILED: {type(e).__name__}: {e}")
                report.setdefault("strata", {"queries": []})["error"] = f"{type(e).__name__}: {e}"
    finally:
        shutil.rmtree(binary_dir, ignore_errors=True)
        entries, geomean, passed = combine(queries, report, args)
        report.update(loadavg_end=load_snapshot(), total_seconds=time.monotonic() - started,
                      summary=entries, geomean_ratio=geomean, queries_passed=passed)
        for name in ("query_results.json", f"query_results-{human_rows(num_rows)}.json"):
            with open(os.path.join(args.out_dir, name), "w") as f:
                json.dump(report, f, indent=1, ensure_ascii=False)
    print()
    print(f"source {report['git']}; {human_rows(num_rows)} rows (wikigen --seed {args.seed} "
          f"--days {args.days}); {report.get('strata_version', 'strata not run')} "
          f"(binary of {report.get('strata_binary_mtime', '?')}); "
          f"DuckDB {report.get('duckdb', {}).get('version', '?')} "
          f"({report.get('duckdb', {}).get('threads', '?')} threads); {os.cpu_count()} cores; "
          f"median of {args.runs} runs after {args.warmup} warm-up")
    if report.get("strata", {}).get("error"):
        print(f"strata: {report['strata']['error']}")
    if report.get("duckdb", {}).get("error"):
        print(f"duckdb: {report['duckdb']['error']}")
    print_table(entries, geomean, passed, report, args)
    print(f"\ntotal {report['total_seconds']:.0f} s; full results in "
          f"{os.path.join(args.out_dir, 'query_results.json')}")
    return 0 if entries and all(e["status"] == "ok" for e in entries) else 1


if __name__ == "__main__":
    sys.exit(main())
