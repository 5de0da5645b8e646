#!/usr/bin/python3
"""Ingestion benchmark: Strata's SQL-based batch ingestion against DuckDB, on wikipedia events.

For each row count N (default 1M and 10M):
  1. generate N wikipedia-shaped events with wikigen (bench/datagen.cc), cached in bench/out/;
  2. start a Strata server on a free loopback port with a fresh data dir, submit
     INSERT INTO wiki ... PARTITIONED BY DAY CLUSTERED BY channel (maxNumTasks = 3), time it from
     submit to SUCCESS, check SELECT COUNT(*) = N, read the stored size from sys.segments, and
     sample the server's memory (VmRSS while it runs, VmHWM at the end);
  3. load the same file into a DuckDB database file sorted by day and channel
     (bench/duckdb_ingest.mjs), with its wall time, peak RSS and file size;
and print one side-by-side table. Results are also written to bench/out/ingest_results.json.

Only the standard library is used; run it with /usr/bin/python3 (bench/run.sh does).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.dirname(BENCH_DIR)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The 19 columns after `time`, with the types Druid's wikipedia tutorial gives them
# (shared/conformance/setups.json): JSON booleans and metroCode land in string columns.
COLUMNS = [
    ("channel", "VARCHAR"), ("cityName", "VARCHAR"), ("comment", "VARCHAR"),
    ("countryIsoCode", "VARCHAR"), ("countryName", "VARCHAR"), ("isAnonymous", "VARCHAR"),
    ("isMinor", "VARCHAR"), ("isNew", "VARCHAR"), ("isRobot", "VARCHAR"),
    ("isUnpatrolled", "VARCHAR"), ("metroCode", "VARCHAR"), ("namespace", "VARCHAR"),
    ("page", "VARCHAR"), ("regionIsoCode", "VARCHAR"), ("regionName", "VARCHAR"),
    ("user", "VARCHAR"), ("delta", "BIGINT"), ("added", "BIGINT"), ("deleted", "BIGINT"),
]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def human_rows(n):
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{unit}"
    return str(n)


def parse_rows(text):
    """'1000000,10M,500k' -> [1000000, 10000000, 500000]."""
    counts = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        counts.append(int(float(part[:-1] if scale != 1 else part) * scale))
    return counts


# ---------------------------------------------------------------------------------------------
# Input


def ensure_binary(path, target):
    if not os.path.exists(path):
        log(f"building {target}")
        subprocess.run(["ninja", "-C", os.path.join(ROOT_DIR, "build"), "-j2", target], check=True)
    return path


def ensure_input(args, num_rows):
    """Returns the path of the cached input file for num_rows, generating it if needed."""
    name = f"wiki-{human_rows(num_rows)}-seed{args.seed}-days{args.days}.json"
    path = os.path.join(args.out_dir, name)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        log(f"input {path} cached ({os.path.getsize(path) / 1e9:.2f} GB)")
        return path
    need = num_rows * 450
    free = shutil.disk_usage(args.out_dir).free
    if free < need * 3:  # the file, Strata's copy and DuckDB's copy
        raise SystemExit(f"not enough disk in {args.out_dir}: {free / 1e9:.1f} GB free, "
                         f"~{need * 3 / 1e9:.1f} GB needed for {num_rows} rows")
    log(f"generating {num_rows} rows into {path}")
    partial = path + ".partial"
    subprocess.run([args.wikigen, "--rows", str(num_rows), "--out", partial, "--seed",
                    str(args.seed), "--days", str(args.days)], check=True)
    os.rename(partial, path)
    return path


# ---------------------------------------------------------------------------------------------
# Process measurement


def read_status_kb(pid, field):
    """A `field:  N kB` line of /proc/<pid>/status, in kB (None if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def read_cpu_seconds(pid):
    """User + system CPU seconds of a running process (all its threads)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (FileNotFoundError, ProcessLookupError):
        return None


def busy_cpu_seconds():
    """CPU seconds the whole machine has spent busy since boot (all cores, from /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    return (sum(fields[:3]) + sum(fields[5:8])) / CLOCK_TICKS


class OtherLoad:
    """How many cores other processes kept busy during a measurement: the machine's busy CPU time
    minus the measured process's own, over the wall time. Timings are only comparable when this
    is near 0 (other builds on a 2-core machine distort them)."""

    def __init__(self):
        self._busy = busy_cpu_seconds()
        self._start = time.monotonic()

    def cores(self, own_cpu_seconds):
        wall = time.monotonic() - self._start
        if wall <= 0 or own_cpu_seconds is None:
            return None
        return max(0.0, (busy_cpu_seconds() - self._busy - own_cpu_seconds) / wall)


class RssSampler:
    """Samples VmRSS of one process every `interval` seconds in a background thread."""

    def __init__(self, pid, interval=0.2):
        self.pid = pid
        self.interval = interval
        self.max_rss_kb = 0
        self.samples = []  # (seconds since start, kB), every 5 s, for the log
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._start = time.monotonic()
        self._thread.start()
        return self

    def _run(self):
        last_kept = -5.0
        while not self._stop.is_set():
            rss = read_status_kb(self.pid, "VmRSS")
            if rss is not None:
                self.max_rss_kb = max(self.max_rss_kb, rss)
                now = time.monotonic() - self._start
                if now - last_kept >= 5:
                    self.samples.append((round(now, 1), rss))
                    last_kept = now
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------
# Strata


class StrataServer:
    """A Strata server this benchmark started; stop() ends exactly that process."""

    def __init__(self, binary, data_dir, log_path, worker_memory_mb):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [binary, "start", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data-dir", data_dir]
        if worker_memory_mb:
            command += ["--worker-memory-mb", str(worker_memory_mb)]
        self.log_file = open(log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        self.pid = self.process.pid

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"strata exited at startup with code {self.process.returncode}")
            try:
                if http_json("GET", self.url + "/status/health", timeout=2) is True:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError("strata did not become healthy in time")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log(f"strata pid {self.pid} ignored SIGTERM for 30 s; sending SIGKILL")
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def http_error_text(error):
    try:
        return f"HTTP {error.code}: {error.read().decode(errors='replace')[:2000]}"
    except Exception:  # noqa: BLE001 - best effort for a message
        return str(error)


def sql(server, query, timeout=600):
    return http_json("POST", server.url + "/druid/v2/sql", {"query": query}, timeout=timeout)


def ingest_sql(input_path):
    base_dir, file_name = os.path.split(input_path)
    input_source = json.dumps({"type": "local", "baseDir": base_dir, "filter": file_name})
    select_list = ", ".join(f'"{name}"' for name, _ in COLUMNS)
    extend = ", ".join(f'"{name}" {sql_type}' for name, sql_type in [("time", "VARCHAR")] + COLUMNS)
    return (f'INSERT INTO wiki\nSELECT TIME_PARSE("time") AS __time, {select_list}\n'
            f"FROM TABLE(EXTERN('{input_source}', '{{\"type\":\"json\"}}'))\n"
            f"EXTEND ({extend})\nPARTITIONED BY DAY CLUSTERED BY channel")


def summarize_counters(reports):
    """'stage 0 (1 worker): input0 1,000,000 rows / 424 MB, shuffle ...' per stage, from the
    task report's counters."""
    try:
        counters = reports["multiStageQuery"]["payload"]["counters"]
    except (KeyError, TypeError):
        return []
    lines = []
    for stage, workers in sorted(counters.items(), key=lambda kv: int(kv[0])):
        totals = {}
        for worker in workers.values():
            for name, counter in worker.items():
                if counter.get("type") == "channel":
                    rows, size = totals.get(name, (0, 0))
                    totals[name] = (rows + sum(counter.get("rows", [])),
                                    size + sum(counter.get("bytes", [])))
                elif counter.get("type") == "segmentGenerationProgress":
                    rows, _ = totals.get("segments", (0, 0))
                    totals["segments"] = (rows + counter.get("rowsPushed", 0), 0)
        parts = [f"{name} {rows:,} rows" + (f" / {size / 1e6:,.0f} MB" if size else "")
                 for name, (rows, size) in totals.items()]
        lines.append(f"stage {stage} ({len(workers)} worker{'s' * (len(workers) != 1)}): "
                     + ", ".join(parts))
    return lines


def run_strata(args, input_path, num_rows):
    input_bytes = os.path.getsize(input_path)
    data_dir = tempfile.mkdtemp(prefix=f"strata-bench-{human_rows(num_rows)}-", dir=args.tmp_dir)
    log_path = os.path.join(args.out_dir, f"strata-{human_rows(num_rows)}.log")
    result = {"system": "strata", "rows": num_rows, "input_bytes": input_bytes, "ok": False}
    server = StrataServer(args.strata, data_dir, log_path, args.worker_memory_mb)
    sampler = None
    try:
        server.wait_ready()
        log(f"strata pid {server.pid} on port {server.port}, data dir {data_dir}, log {log_path}")
        sampler = RssSampler(server.pid).start()
        cpu_before = read_cpu_seconds(server.pid)
        other_load = OtherLoad()
        submitted = time.monotonic()
        try:
            task = http_json("POST", server.url + "/druid/v2/sql/task",
                             {"query": ingest_sql(input_path),
                              "context": {"maxNumTasks": args.max_num_tasks}})
        except urllib.error.HTTPError as e:
            result["error"] = f"submit failed: {http_error_text(e)}"
            return result
        task_id = task["taskId"]
        result["task_id"] = task_id
        status = None
        last_report = submitted
        while True:
            if server.process.poll() is not None:
                result["error"] = f"strata exited with code {server.process.returncode} during ingestion"
                return result
            elapsed = time.monotonic() - submitted
            if elapsed > args.timeout:
                result["error"] = f"timeout after {args.timeout} s (status {status})"
                return result
            try:
                status = http_json("GET", f"{server.url}/druid/indexer/v1/task/{task_id}/status",
                                   timeout=30)["status"]
            except (urllib.error.URLError, ConnectionError, OSError) as e:
                log(f"status poll failed: {e}")
                time.sleep(1)
                continue
            if status.get("status") in ("SUCCESS", "FAILED"):
                break
            if time.monotonic() - last_report >= 30:
                log(f"  ... {elapsed:.0f} s, RSS {read_status_kb(server.pid, 'VmRSS') / 1024:.0f} MB, "
                    f"status {status.get('status')}")
                last_report = time.monotonic()
            time.sleep(0.25)
        seconds = time.monotonic() - submitted
        cpu_after = read_cpu_seconds(server.pid)
        result["task_status"] = status
        try:
            result["reports"] = http_json(
                "GET", f"{server.url}/druid/indexer/v1/task/{task_id}/reports", timeout=60)
        except urllib.error.URLError as e:
            result["reports_error"] = str(e)
        result["counters_summary"] = summarize_counters(result.get("reports"))
        for line in result["counters_summary"]:
            log("  " + line)
        if status.get("status") != "SUCCESS":
            result["error"] = f"task {task_id} FAILED: {json.dumps(status)[:2000]}"
            return result
        result["seconds"] = seconds
        result["cpu_seconds"] = (cpu_after - cpu_before) if cpu_before is not None else None
        result["other_load_cores"] = other_load.cores(result["cpu_seconds"])

        # The rows must be queryable; like Druid, allow a moment for segments to be loaded.
        count = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                count = sql(server, "SELECT COUNT(*) AS c FROM wiki")[0]["c"]
            except urllib.error.HTTPError as e:
                count = http_error_text(e)
            if count == num_rows:
                break
            time.sleep(1)
        result["count"] = count
        result["seconds_to_queryable"] = time.monotonic() - submitted
        segments = sql(server, "SELECT COUNT(*) AS segments, SUM(\"size\") AS size_bytes, "
                               "SUM(\"num_rows\") AS num_rows FROM sys.segments "
                               "WHERE \"datasource\" = 'wiki'")[0]
        result["segments"] = segments["segments"]
        result["stored_bytes"] = segments["size_bytes"]
        result["segment_rows"] = segments["num_rows"]
        result["vm_hwm_kb"] = read_status_kb(server.pid, "VmHWM")
        if count != num_rows:
            result["error"] = f"SELECT COUNT(*) returned {count}, expected {num_rows}"
            return result
        result["ok"] = True
        return result
    except Exception as e:  # noqa: BLE001 - one failed system must not lose the other's result
        result["error"] = f"{type(e).__name__}: {e}"
        return result
    finally:
        if sampler is not None:
            sampler.stop()
            result["max_sampled_rss_kb"] = sampler.max_rss_kb
            result["rss_samples"] = sampler.samples
        hwm = read_status_kb(server.pid, "VmHWM")
        if hwm is not None:
            result["vm_hwm_kb"] = max(hwm, result.get("vm_hwm_kb") or 0)
        result["peak_rss_kb"] = max(result.get("vm_hwm_kb") or 0, result.get("max_sampled_rss_kb") or 0)
        server.stop()
        result["data_dir_bytes"] = directory_bytes(data_dir)
        if args.keep_data_dirs:
            log(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def directory_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


# ---------------------------------------------------------------------------------------------
# DuckDB


def run_duckdb(args, input_path, num_rows):
    input_bytes = os.path.getsize(input_path)
    result = {"system": "duckdb", "rows": num_rows, "input_bytes": input_bytes, "ok": False}
    work_dir = tempfile.mkdtemp(prefix=f"duckdb-bench-{human_rows(num_rows)}-", dir=args.tmp_dir)
    try:
        process = subprocess.Popen(
            ["node", os.path.join(BENCH_DIR, "duckdb_ingest.mjs"), input_path,
             os.path.join(work_dir, "wiki.duckdb")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=BENCH_DIR)
        sampler = RssSampler(process.pid).start()
        other_load = OtherLoad()
        # wait4 gives this child's own peak RSS and CPU time.
        stdout_chunks = []
        reader = threading.Thread(target=lambda: stdout_chunks.append(process.stdout.read()))
        reader.start()
        stderr_text = process.stderr.read().decode(errors="replace")
        _, wait_status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        reader.join()
        sampler.stop()
        result["max_sampled_rss_kb"] = sampler.max_rss_kb
        result["peak_rss_kb"] = max(usage.ru_maxrss, sampler.max_rss_kb)
        result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        result["other_load_cores"] = other_load.cores(result["cpu_seconds"])
        if process.returncode != 0:
            result["error"] = f"node exited with {process.returncode}: {stderr_text[-2000:]}"
            return result
        report = json.loads(stdout_chunks[0].decode())
        result.update({"seconds": report["seconds"], "count": report["count"],
                       "stored_bytes": report["db_file_bytes"], "duckdb_version": report["version"],
                       "threads": report["threads"]})
        if report["count"] != num_rows:
            result["error"] = f"count {report['count']}, expected {num_rows}"
            return result
        result["ok"] = True
        return result
    except Exception as e:  # noqa: BLE001
        result["error"] = f"{type(e).__name__}: {e}"
        return result
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Report


def table_row(r):
    def fmt(value, spec):
        return "—" if value is None else format(value, spec)

    seconds = r.get("seconds") if r.get("ok") else None
    rows_per_s = r["rows"] / seconds if seconds else None
    mb_per_s = r["input_bytes"] / 1e6 / seconds if seconds else None
    bytes_per_row = r["stored_bytes"] / r["rows"] if r.get("ok") and r.get("stored_bytes") else None
    peak = r.get("peak_rss_kb")
    cells = [r["system"], human_rows(r["rows"]), fmt(seconds, ".1f"), fmt(rows_per_s, ",.0f"),
             fmt(mb_per_s, ".1f"), fmt(bytes_per_row, ".1f"),
             fmt(peak / 1024 if peak else None, ",.0f") + (" MB" if peak else ""),
             fmt(r.get("cpu_seconds"), ".1f")]
    if not r.get("ok"):
        cells[2] = "FAILED"
    return cells


def print_table(results):
    header = ["system", "rows", "seconds", "rows/s", "MB/s", "bytes/row", "peak RSS", "CPU s"]
    rows = [header] + [table_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.rjust(widths[j]) if j > 0 else cell.ljust(widths[j])
                                       for j, cell in enumerate(row)) + " |")
        if i == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines))
    busy = [r for r in results if (r.get("other_load_cores") or 0) > 0.2]
    if busy:
        print("\nOther processes were busy during: " + ", ".join(
            f"{r['system']} {human_rows(r['rows'])} ({r['other_load_cores']:.1f} cores)" for r in busy)
            + " — those timings are pessimistic on a 2-core machine.")
    for r in results:
        if not r.get("ok"):
            print(f"\n{r['system']} {human_rows(r['rows'])}: {r.get('error')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,10000000",
                        help="comma-separated row counts (1000000 or 1M), default 1M,10M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--systems", default="strata,duckdb", help="strata, duckdb or both")
    parser.add_argument("--max-num-tasks", type=int, default=3)
    parser.add_argument("--worker-memory-mb", type=int, default=None,
                        help="passed to strata start (default: Strata's own default)")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds to wait for one ingestion task")
    parser.add_argument("--out-dir", default=os.path.join(BENCH_DIR, "out"),
                        help="cached inputs, logs and results")
    parser.add_argument("--tmp-dir", default=None, help="parent of the temporary data dirs")
    parser.add_argument("--delete-inputs", action="store_true",
                        help="delete each generated input after use")
    parser.add_argument("--keep-data-dirs", action="store_true")
    parser.add_argument("--strata", default=os.path.join(ROOT_DIR, "build", "src", "app", "strata"))
    parser.add_argument("--wikigen", default=os.path.join(ROOT_DIR, "build", "bench", "wikigen"))
    args = parser.parse_args()

    os.makedirs(args.out_dir, exist_ok=True)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    ensure_binary(args.wikigen, "wikigen")
    if "strata" in systems:
        ensure_binary(args.strata, "strata")
    if "duckdb" in systems and not os.path.isdir(os.path.join(BENCH_DIR, "node_modules", "@duckdb")):
        log("installing @duckdb/node-api")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=BENCH_DIR, check=True)

    # Run a private copy of the server binary: the build tree may be rebuilt while we measure.
    binary_dir = tempfile.mkdtemp(prefix="strata-bench-bin-", dir=args.tmp_dir)
    run_info = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "git": git_revision(),
                "nproc": os.cpu_count()}
    if "strata" in systems:
        run_info["strata_binary_mtime"] = time.strftime(
            "%Y-%m-%dT%H:%M:%S", time.localtime(os.path.getmtime(args.strata)))
        args.strata = shutil.copy2(args.strata, os.path.join(binary_dir, "strata"))
    log(f"source {run_info['git']}, {run_info['nproc']} cores")

    results = []
    try:
        run_all(args, systems, results)
    finally:
        shutil.rmtree(binary_dir, ignore_errors=True)
        with open(os.path.join(args.out_dir, "ingest_results.json"), "w") as f:
            json.dump(dict(run_info, results=results), f, indent=1)
    print()
    print(f"source {run_info['git']}; inputs: wikigen --seed {args.seed} --days {args.days}; "
          f"strata maxNumTasks={args.max_num_tasks}"
          + (f", --worker-memory-mb {args.worker_memory_mb}" if args.worker_memory_mb else "")
          + "; MB = 10^6 bytes of input JSON")
    print_table(results)
    return 0 if results and all(r.get("ok") for r in results) else 1


def git_revision():
    try:
        return subprocess.run(["git", "-C", ROOT_DIR, "describe", "--always", "--dirty"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def run_all(args, systems, results):
    for num_rows in parse_rows(args.rows):
        input_path = ensure_input(args, num_rows)
        for system, verb, run in (("strata", "ingesting", run_strata), ("duckdb", "loading", run_duckdb)):
            if system not in systems:
                continue
            log(f"{system}: {verb} {human_rows(num_rows)} rows")
            r = run(args, input_path, num_rows)
            log(f"{system}: {'ok' if r['ok'] else 'FAILED: ' + str(r.get('error'))[:500]} "
                f"{r.get('seconds', 0):.1f} s, peak RSS {r.get('peak_rss_kb', 0) / 1024:.0f} MB")
            results.append(r)
        if args.delete_inputs:
            os.remove(input_path)


if __name__ == "__main__":
    sys.exit(main())
