#!/usr/bin/python3
"""Druid conformance suite runner for Strata.

Starts its own `strata` server on a free 127.0.0.1 port with a temporary data directory,
ingests the shared datasets (shared/conformance/setups.json) through /druid/v2/sql/task, runs
every case of shared/conformance/cases.jsonl as described in shared/conformance/README.md and
prints one line per case:

    PASS <id>
    FAIL <id>: <reason>
    SKIP <id> (deliberate difference: <reason>)

followed by "NEW PASS <id>" / "REGRESSION <id>" lines and the summary
"conformance: N/M passed" (M = cases run, i.e. without deliberate-difference skips).

Exit status: 0 when every case listed in expected_pass.txt passes and the server started and
ingested the setups; 1 on a regression or a setup failure; 2 when the server cannot be started
or the inputs cannot be read.

Files next to this script:
  expected_pass.txt            case ids expected to pass (sorted, one per line, '#' comments)
  deliberate_differences.txt   "<id>: <reason>" lines for deliberate differences from Druid

With --suite DIR the same runner runs another suite (tests/sql): every DIR/*.jsonl case file,
DIR/expected_pass.txt, DIR/deliberate_differences.txt, and DIR/setups.json added to the shared
setups ("{{SUITE_DIR}}" in SQL is replaced by DIR, as "{{DATA_DIR}}" is by shared/data).

A case may carry an optional "parameters" field (a JSON array of {"type": ..., "value": ...}
bindings for the `?` placeholders of its `sql`); it is sent unchanged as the request's
"parameters" field, for query and error cases alike (not for the `ingest` statements).

Uses only the standard library and `requests` (run it with /usr/bin/python3).
"""

import argparse
import ctypes
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

try:
    import requests
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("run_conformance.py needs the 'requests' module (use /usr/bin/python3)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_STRATA = os.path.join(REPO, "build", "src", "app", "strata")
DEFAULT_SHARED = os.path.abspath(os.path.join(REPO, "..", "shared"))
EXPECTED_PASS = os.path.join(HERE, "expected_pass.txt")
DELIBERATE = os.path.join(HERE, "deliberate_differences.txt")

REL_TOL = 1e-6
QUERY_TIMEOUT_S = 300
TASK_TIMEOUT_S = 600
SERVER_START_TIMEOUT_S = 60
VISIBLE_TIMEOUT_S = 30
REASON_MAX = 600


class RunnerError(Exception):
    """Infrastructure problem (server start, unreadable inputs)."""


class Terminated(Exception):
    pass


def _on_signal(signum, _frame):
    raise Terminated("terminated by signal %d" % signum)


def log(msg):
    print("# " + msg, flush=True)


def short(value, limit=160):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _set_pdeathsig():
    # Linux: have the kernel send SIGTERM to the server if this runner dies (e.g. SIGKILL from a
    # ctest timeout), so no server outlives its runner.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class StrataServer:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.data_dir = os.path.join(workdir, "data")
        self.log_path = os.path.join(workdir, "server.log")
        self.proc = None
        self.port = None
        self.base_url = None

    def start(self):
        if not os.access(self.binary, os.X_OK):
            raise RunnerError("strata binary not found or not executable: %s" % self.binary)
        os.makedirs(self.data_dir, exist_ok=True)
        last_error = ""
        for _attempt in range(5):
            port = _free_port()
            logf = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [self.binary, "start", "--host", "127.0.0.1", "--port", str(port), "--data-dir", self.data_dir],
                stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT, preexec_fn=_set_pdeathsig)
            logf.close()
            self.port = port
            self.base_url = "http://127.0.0.1:%d" % port
            ready = self._wait_ready(port)
            if ready:
                return
            code = self.proc.poll()
            last_error = self.log_tail() or ("exited with code %s" % code if code is not None
                                             else "no readiness within %ds" % SERVER_START_TIMEOUT_S)
            self.stop()
            if "already in use" not in last_error:
                break
        raise RunnerError("strata server did not start: %s" % last_error)

    def _wait_ready(self, port):
        # Ready = our process is alive, it logged that it listens on our port (so we are not
        # talking to some other server that grabbed the port), and /status/health answers.
        marker = "listening on http://127.0.0.1:%d" % port
        deadline = time.time() + SERVER_START_TIMEOUT_S
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if marker in self.log_text():
                try:
                    r = requests.get(self.base_url + "/status/health", timeout=5)
                    if r.status_code == 200 and self.proc.poll() is None:
                        return True
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        return False

    def log_text(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, lines=20):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
            except ProcessLookupError:
                pass
        self.proc = None


# --------------------------------------------------------------------------------------------
# HTTP client
# --------------------------------------------------------------------------------------------


def error_message_of(resp):
    """The Druid error message of a failed HTTP response (errorMessage), else the raw body."""
    try:
        body = resp.json()
    except ValueError:
        return resp.text.strip() or ("HTTP %d" % resp.status_code)
    if isinstance(body, dict):
        for key in ("errorMessage", "error"):
            if isinstance(body.get(key), str) and body.get(key):
                return body[key]
    return json.dumps(body)


class Client:
    def __init__(self, base_url):
        self.base = base_url
        self.http = requests.Session()

    def sql(self, query, context=None, parameters=None):
        """Runs a query. Returns (ok, header, rows, error_message, http_status).

        parameters, when not None, is sent unchanged as the request's "parameters" field (values
        of the query's `?` placeholders; malformed values are passed through too)."""
        payload = {"query": query, "context": context or {}, "resultFormat": "array", "header": True}
        if parameters is not None:
            payload["parameters"] = parameters
        try:
            r = self.http.post(self.base + "/druid/v2/sql", json=payload, timeout=QUERY_TIMEOUT_S)
        except requests.RequestException as e:
            return False, None, None, "request failed: %s" % e, None
        if r.status_code != 200:
            return False, None, None, error_message_of(r), r.status_code
        try:
            body = r.json()
        except ValueError:
            return False, None, None, "response is not JSON: %s" % short(r.text), r.status_code
        if not isinstance(body, list) or not body or not isinstance(body[0], list):
            return False, None, None, "unexpected response shape (no header row): %s" % short(body), r.status_code
        return True, body[0], body[1:], None, r.status_code

    def submit_task(self, query, context=None, parameters=None):
        """Returns (task_id, None, status) or (None, error_message, http_status)."""
        payload = {"query": query, "context": context or {}}
        if parameters is not None:
            payload["parameters"] = parameters
        try:
            r = self.http.post(self.base + "/druid/v2/sql/task", json=payload, timeout=QUERY_TIMEOUT_S)
        except requests.RequestException as e:
            return None, "request failed: %s" % e, None
        if r.status_code >= 400:
            return None, error_message_of(r), r.status_code
        try:
            body = r.json()
            task_id = body["taskId"]
        except (ValueError, KeyError, TypeError):
            return None, "unexpected /druid/v2/sql/task answer (HTTP %d): %s" % (r.status_code, short(r.text)), r.status_code
        return task_id, None, r.status_code

    def wait_task(self, task_id, timeout=TASK_TIMEOUT_S):
        """Polls until the task finishes. Returns (status, errorMsg)."""
        deadline = time.time() + timeout
        delay = 0.05
        while True:
            try:
                r = self.http.get(self.base + "/druid/indexer/v1/task/%s/status" % task_id, timeout=60)
                if r.status_code == 200:
                    st = r.json().get("status") or {}
                    state = st.get("status") or st.get("statusCode")
                    if state in ("SUCCESS", "FAILED"):
                        return state, st.get("errorMsg")
                elif r.status_code != 404:
                    return "FAILED", "task status HTTP %d: %s" % (r.status_code, error_message_of(r))
            except (requests.RequestException, ValueError) as e:
                if time.time() > deadline:
                    return "FAILED", "task status request failed: %s" % e
            if time.time() > deadline:
                return "TIMEOUT", "task %s did not finish within %ds" % (task_id, timeout)
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def run_task(self, query, context=None):
        """Submits and waits. Returns (ok, error_message)."""
        task_id, err, _ = self.submit_task(query, context)
        if task_id is None:
            return False, err
        state, msg = self.wait_task(task_id)
        if state == "SUCCESS":
            return True, None
        return False, "task %s %s: %s" % (task_id, state, msg)

    def wait_queryable(self, datasource, expected_rows=None, timeout=VISIBLE_TIMEOUT_S):
        """Waits until SELECT COUNT(*) works (and, if given, equals expected_rows).

        Returns (ok, count_or_error)."""
        deadline = time.time() + timeout
        last = None
        while True:
            ok, _, rows, err, _ = self.sql('SELECT COUNT(*) FROM "%s"' % datasource.replace('"', '""'))
            if ok and rows:
                last = rows[0][0]
                if expected_rows is None or last == expected_rows:
                    return True, last
            else:
                last = err
            if time.time() > deadline:
                return ok, last
            time.sleep(0.2)

    def segment_intervals(self, datasource):
        """Distinct (start, end) of the non-overshadowed, non-tombstone segments of a datasource."""
        q = ('SELECT "start", "end", "is_overshadowed", "shard_spec" FROM sys.segments WHERE "datasource" = \'%s\''
             % datasource.replace("'", "''"))
        ok, header, rows, err, _ = self.sql(q)
        if not ok:
            return None, err
        out = set()
        for start, end, overshadowed, shard_spec in rows:
            if overshadowed in (1, True, "1", "true"):
                continue
            if isinstance(shard_spec, str) and '"tombstone"' in shard_spec:
                continue
            out.add((normalize_instant(start), normalize_instant(end)))
        return out, None


# --------------------------------------------------------------------------------------------
# SQL text helpers
# --------------------------------------------------------------------------------------------

_TASK_STMT = re.compile(r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*(?:SET\s+[^;]*;\s*)*(INSERT|REPLACE)\b",
                        re.IGNORECASE | re.DOTALL)
_TARGET = re.compile(r"\b(?:INSERT|REPLACE)\s+INTO\s+(?:\"((?:[^\"]|\"\")+)\"|([A-Za-z_][\w.]*))", re.IGNORECASE)


def is_task_statement(sql):
    return _TASK_STMT.match(sql) is not None


def target_datasource(sql):
    m = _TARGET.search(sql)
    if not m:
        return None
    name = m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2)
    if name.lower().startswith("druid."):
        name = name[len("druid."):]
    return name


def rename_tables(sql, mapping):
    """Renames table identifiers (quoted exactly, or bare word) outside string literals/comments."""
    if not mapping:
        return sql
    out = []
    i, n = 0, len(sql)
    bare = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
    while i < n:
        c = sql[i]
        if c == "'":  # string literal ('' escapes)
            j = i + 1
            while j < n:
                if sql[j] == "'":
                    if j + 1 < n and sql[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j])
            i = j
        elif c == '"':
            j = i + 1
            while j < n:
                if sql[j] == '"':
                    if j + 1 < n and sql[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            ident = sql[i + 1:j].replace('""', '"')
            if ident in mapping:
                out.append('"' + mapping[ident].replace('"', '""') + '"')
            else:
                out.append(sql[i:j + 1])
            i = j + 1
        else:
            m = bare.match(sql, i)
            if m and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] in "_$")):
                word = m.group(0)
                out.append(mapping.get(word, word))
                i = m.end()
            else:
                out.append(c)
                i += 1
    return "".join(out)


def parse_setup(setup):
    """'fresh:a,b (note)' -> ('fresh', ['a','b']); 'foo (note)' -> ('named', 'foo')."""
    setup = (setup or "none").strip()
    m = re.match(r"fresh:\s*([\w$]+(?:\s*,\s*[\w$]+)*)", setup)
    if m:
        return "fresh", [t.strip() for t in m.group(1).split(",")]
    m = re.match(r"([\w$]+)", setup)
    return "named", (m.group(1) if m else "none")


def normalize_instant(value):
    """ISO-8601 instant -> epoch millis (for comparing segment bounds); other values unchanged."""
    if not isinstance(value, str):
        return value
    m = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$", value)
    if not m:
        return value
    frac = (m.group(5) or "0")[:3].ljust(3, "0")
    tz = m.group(6) or "Z"
    if tz == "Z":
        tz = "+0000"
    dt = datetime.strptime("%sT%s:%s:%s%s" % (m.group(1), m.group(2), m.group(3), m.group(4), tz.replace(":", "")),
                           "%Y-%m-%dT%H:%M:%S%z")
    return int(dt.timestamp()) * 1000 + int(frac)


# --------------------------------------------------------------------------------------------
# Value / row comparison (README "Value conventions")
# --------------------------------------------------------------------------------------------


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def values_equal(exp, got):
    if exp is None or got is None:
        return exp is None and got is None
    if isinstance(exp, bool) or isinstance(got, bool):
        return isinstance(exp, bool) and isinstance(got, bool) and exp == got
    if _is_number(exp):
        if not _is_number(got):
            return False
        if isinstance(exp, int) and isinstance(got, int):
            return exp == got
        ef, gf = float(exp), float(got)
        if math.isnan(ef) or math.isnan(gf):
            return math.isnan(ef) and math.isnan(gf)
        return ef == gf or math.isclose(ef, gf, rel_tol=REL_TOL, abs_tol=0.0)
    if isinstance(exp, str):
        return isinstance(got, str) and exp == got
    if isinstance(exp, list):
        return isinstance(got, list) and len(exp) == len(got) and all(values_equal(a, b) for a, b in zip(exp, got))
    if isinstance(exp, dict):
        return (isinstance(got, dict) and set(exp) == set(got)
                and all(values_equal(exp[k], got[k]) for k in exp))
    return exp == got


def rows_equal(exp, got):
    return (isinstance(got, list) and len(exp) == len(got)
            and all(values_equal(a, b) for a, b in zip(exp, got)))


def match_multiset(expected, got):
    """Maximum bipartite matching of expected rows to got rows (tolerant equality).

    Returns (unmatched_expected_indexes, unmatched_got_indexes)."""
    adj = [[j for j, g in enumerate(got) if rows_equal(e, g)] for e in expected]
    match_of_got = {}

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_of_got or augment(match_of_got[j], seen):
                match_of_got[j] = i
                return True
        return False

    sys.setrecursionlimit(max(10000, len(expected) * 4 + 100))
    unmatched_exp = [i for i in range(len(expected)) if not augment(i, set())]
    matched_got = set(match_of_got)
    unmatched_got = [j for j in range(len(got)) if j not in matched_got]
    return unmatched_exp, unmatched_got


def _sort_cmp(a, b):
    """Compare two sort-key values; NULL is the smallest value (Druid's default)."""
    if a is None and b is None:
        return 0
    if a is None:
        return -1
    if b is None:
        return 1
    if _is_number(a) and _is_number(b):
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    sa, sb = json.dumps(a), json.dumps(b)
    return (sa > sb) - (sa < sb)


def check_sorted(rows, order_keys):
    """Returns None when rows are sorted by order_keys ([index, 'asc'|'desc', nulls?]), else a reason."""
    keys = []
    for k in order_keys:
        idx = int(k[0])
        desc = len(k) > 1 and str(k[1]).lower().startswith("desc")
        nulls = str(k[2]).lower() if len(k) > 2 and k[2] is not None else ""
        if "first" in nulls:
            nulls_first = True
        elif "last" in nulls:
            nulls_first = False
        else:
            nulls_first = not desc  # NULL sorts as the smallest value
        keys.append((idx, desc, nulls_first))
    for r in range(1, len(rows)):
        prev, cur = rows[r - 1], rows[r]
        for idx, desc, nulls_first in keys:
            a, b = prev[idx], cur[idx]
            if a is None or b is None:
                if a is None and b is None:
                    c = 0
                elif a is None:
                    c = -1 if nulls_first else 1
                else:
                    c = 1 if nulls_first else -1
            else:
                c = _sort_cmp(a, b)
                if desc:
                    c = -c
            if c < 0:
                break
            if c > 0:
                return "rows %d and %d are not sorted by column %d %s: %s then %s" % (
                    r - 1, r, idx, "desc" if desc else "asc", short(a, 60), short(b, 60))
    return None


def compare_result(case, header, rows):
    """Returns None if the result matches the case's expectations, else a short reason."""
    columns = case.get("columns")
    if columns is not None and list(header) != list(columns):
        return "columns: expected %s, got %s" % (short(columns), short(header))
    expected = case.get("expected")
    if expected is None:
        expected = []
    ordered = bool(case.get("ordered"))
    order_keys = case.get("order_keys") or None
    prefix = (case.get("match") or "exact") == "prefix"
    row_count = case.get("expected_row_count")

    if row_count is not None and len(rows) != row_count:
        return "row count: expected %d, got %d (first rows: %s)" % (row_count, len(rows), short(rows[:3]))
    if not prefix and len(rows) != len(expected):
        return "row count: expected %d, got %d; expected %s, got %s" % (
            len(expected), len(rows), short(expected, 200), short(rows, 200))
    if prefix and len(rows) < len(expected):
        return "row count: expected at least %d, got %d" % (len(expected), len(rows))

    if ordered:
        for i, e in enumerate(expected):
            if not rows_equal(e, rows[i]):
                return "row %d: expected %s, got %s" % (i, short(e), short(rows[i]))
        return None

    unmatched_exp, unmatched_got = match_multiset(expected, rows)
    if prefix:
        unmatched_got = []  # only a subset of the rows is given
    if unmatched_exp or unmatched_got:
        parts = []
        if unmatched_exp:
            parts.append("missing %s" % short([expected[i] for i in unmatched_exp[:5]], 250))
        if unmatched_got:
            parts.append("unexpected %s" % short([rows[j] for j in unmatched_got[:5]], 250))
        return "rows differ (unordered): " + "; ".join(parts)
    if order_keys:
        reason = check_sorted(rows, order_keys)
        if reason:
            return reason
    return None


# --------------------------------------------------------------------------------------------
# Runner
# --------------------------------------------------------------------------------------------


def read_id_list(path):
    ids = []
    if not os.path.exists(path):
        return ids
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                ids.append(line)
    return ids


def read_deliberate(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            case_id, _, reason = s.partition(":")
            out[case_id.strip()] = reason.strip() or "no reason given"
    return out


def write_expected(path, ids):
    header = ("# Conformance case ids expected to pass (one per line, sorted).\n"
              "# A listed case that fails is a regression: run_conformance.py exits non-zero.\n"
              "# Extend with: run_conformance.py --update-expected (add --allow-shrink to drop entries).\n")
    with open(path, "w") as f:
        f.write(header)
        for i in sorted(set(ids)):
            f.write(i + "\n")


class Runner:
    def __init__(self, args, client, setups, data_dir):
        self.args = args
        self.client = client
        self.setups = setups
        self.data_dir = data_dir
        self.setup_state = {}  # name -> "ok" | "dirty" | error message
        self.setup_errors = []

    def subst(self, text):
        if not isinstance(text, str):
            return text
        text = text.replace("{{DATA_DIR}}", self.data_dir)
        if self.args.suite:
            text = text.replace("{{SUITE_DIR}}", os.path.abspath(self.args.suite))
        return text

    def ingest_setup(self, name):
        spec = self.setups.get(name) or {}
        sql = spec.get("ingest_sql")
        if not sql:
            return None  # nothing to ingest (none / any / foo2 without SQL)
        t0 = time.time()
        ok, err = self.client.run_task(self.subst(sql))
        if ok:
            ds = spec.get("datasource", name)
            visible, count = self.client.wait_queryable(ds, spec.get("rows"))
            if not visible:
                ok, err = False, "datasource %s not queryable after ingestion: %s" % (ds, count)
            elif spec.get("rows") is not None and count != spec.get("rows"):
                log("WARN setup %s: COUNT(*) = %s, setups.json says %s rows" % (name, count, spec.get("rows")))
        if ok:
            self.setup_state[name] = "ok"
            log("setup %s ingested in %.1fs" % (name, time.time() - t0))
            return None
        msg = "setup %s failed: %s" % (name, err)
        self.setup_state[name] = msg
        self.setup_errors.append(msg)
        log(msg)
        return msg

    def ensure_setup(self, name):
        """Returns None when the named setup is ready, else an error message."""
        if name in ("none", "any"):
            return None
        if name not in self.setups:
            return "unknown setup %r" % name
        state = self.setup_state.get(name)
        if state == "ok":
            return None
        if state is None or state == "dirty":
            if state == "dirty":
                log("re-creating setup %s" % name)
            return self.ingest_setup(name)
        return state  # earlier failure

    def mark_dirty_if_setup(self, datasource):
        for name, spec in self.setups.items():
            if spec.get("datasource") == datasource and self.setup_state.get(name) == "ok":
                self.setup_state[name] = "dirty"

    def check_segments(self, case, datasource):
        want = case.get("expected_segments")
        if not want:
            return None
        if not datasource:
            return "cannot tell which datasource expected_segments refers to"
        got, err = self.client.segment_intervals(datasource)
        if got is None:
            return "sys.segments query failed: %s" % err
        want_set = set()
        for iv in want:
            start, _, end = iv.partition("/")
            want_set.add((normalize_instant(start), normalize_instant(end)))
        if got != want_set:
            def fmt(s):
                return sorted("%s/%s" % (_fmt_ms(a), _fmt_ms(b)) for a, b in s)
            missing, extra = fmt(want_set - got), fmt(got - want_set)
            return "segments of %s: missing %s, unexpected %s" % (datasource, short(missing, 250), short(extra, 250))
        return None

    def run_case(self, case):
        """Returns (passed, reason)."""
        kind = case.get("kind", "query")
        mode, setup = parse_setup(case.get("setup"))
        context = case.get("context") or {}
        mapping = {}
        if mode == "fresh":
            suffix = re.sub(r"[^A-Za-z0-9_]", "_", case["id"])
            mapping = {t: "%s__%s" % (t, suffix) for t in setup}
        else:
            err = self.ensure_setup(setup)
            if err:
                return False, err

        def prep(sql):
            return rename_tables(self.subst(sql), mapping)

        if kind == "error":
            return self.run_error_case(case, prep(case.get("sql", "")), context, case.get("parameters"))

        datasource = None
        if kind == "ingest":
            for i, stmt in enumerate(case.get("ingest") or []):
                stmt = prep(stmt)
                datasource = target_datasource(stmt) or datasource
                ok, err = self.client.run_task(stmt, context)
                if not ok:
                    if datasource:
                        self.mark_dirty_if_setup(datasource)
                    return False, "ingest statement %d: %s" % (i + 1, err)
            if datasource:
                self.client.wait_queryable(datasource)
        elif kind != "query":
            return False, "unknown case kind %r" % kind
        if datasource is None and mode == "named":
            datasource = (self.setups.get(setup) or {}).get("datasource")

        ok, header, rows, err, status = self.client.sql(prep(case.get("sql", "")), context, case.get("parameters"))
        if not ok:
            return False, "query failed (HTTP %s): %s" % (status, err)
        reason = compare_result(case, header, rows)
        if reason:
            return False, reason
        reason = self.check_segments(case, datasource)
        if reason:
            return False, reason
        return True, None

    def run_error_case(self, case, sql, context, parameters=None):
        want = case.get("expected_error_contains") or ""
        if is_task_statement(sql):
            task_id, err, status = self.client.submit_task(sql, context, parameters)
            if task_id is None:
                if want in err:
                    return True, None
                return False, "error (HTTP %s) does not contain %r: %s" % (status, want, err)
            state, msg = self.client.wait_task(task_id)
            if state == "SUCCESS":
                target = target_datasource(sql)
                if target:
                    self.mark_dirty_if_setup(target)
                return False, "expected an error containing %r, but task %s succeeded" % (want, task_id)
            msg = msg or ""
            if want in msg:
                return True, None
            return False, "task %s %s, but its error does not contain %r: %s" % (task_id, state, want, msg)
        ok, header, rows, err, status = self.client.sql(sql, context, parameters)
        if ok:
            return False, "expected an error containing %r, but the query returned %d rows" % (want, len(rows))
        if status is not None and status < 400:
            return False, "unexpected HTTP %s: %s" % (status, err)
        if want in (err or ""):
            return True, None
        return False, "error (HTTP %s) does not contain %r: %s" % (status, want, err)


def _fmt_ms(v):
    if isinstance(v, int):
        return datetime.fromtimestamp(v / 1000.0, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (v % 1000)
    return str(v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--strata", default=DEFAULT_STRATA, help="path of the strata binary")
    ap.add_argument("--shared", default=DEFAULT_SHARED, help="the shared/ directory (conformance/, data/)")
    ap.add_argument("--json-out", help="write a JSON summary here")
    ap.add_argument("--update-expected", action="store_true",
                    help="add the currently passing cases to expected_pass.txt")
    ap.add_argument("--allow-shrink", action="store_true",
                    help="with --update-expected: also drop entries that do not pass now")
    ap.add_argument("--case", action="append", default=[], help="run only this case id (repeatable)")
    ap.add_argument("--filter", help="run only case ids matching this regular expression")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary data dir and server log")
    ap.add_argument("--suite", help="run another suite instead: a directory with *.jsonl case files, "
                    "expected_pass.txt, deliberate_differences.txt and optionally setups.json (its setups "
                    "are added to shared/conformance/setups.json), e.g. tests/sql")
    ap.add_argument("--expected-pass", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--deliberate", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    suite_dir = os.path.abspath(args.suite) if args.suite else None
    if args.expected_pass is None:
        args.expected_pass = os.path.join(suite_dir, "expected_pass.txt") if suite_dir else EXPECTED_PASS
    if args.deliberate is None:
        args.deliberate = os.path.join(suite_dir, "deliberate_differences.txt") if suite_dir else DELIBERATE

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    shared = os.path.abspath(args.shared)
    conf_dir = os.path.join(shared, "conformance")
    data_dir = os.path.join(shared, "data")
    try:
        with open(os.path.join(conf_dir, "setups.json")) as f:
            setups = json.load(f)
        case_files = [os.path.join(conf_dir, "cases.jsonl")]
        if suite_dir:
            case_files = sorted(os.path.join(suite_dir, n) for n in os.listdir(suite_dir) if n.endswith(".jsonl"))
            suite_setups = os.path.join(suite_dir, "setups.json")
            if os.path.exists(suite_setups):
                with open(suite_setups) as f:
                    for name, spec in json.load(f).items():
                        if name in setups:
                            raise ValueError("%s redefines setup %s" % (suite_setups, name))
                        setups[name] = spec
        cases = []
        seen_ids = set()
        for path in case_files:
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        case = json.loads(line)
                    except ValueError as e:
                        raise ValueError("%s line %d: %s" % (path, n, e))
                    if case.get("id") in seen_ids:
                        raise ValueError("%s line %d: duplicate case id %s" % (path, n, case.get("id")))
                    seen_ids.add(case.get("id"))
                    cases.append(case)
    except (OSError, ValueError) as e:
        print("conformance: cannot read cases/setups from %s: %s" % (suite_dir or conf_dir, e), flush=True)
        return 2

    expected_pass = read_id_list(args.expected_pass)
    deliberate = read_deliberate(args.deliberate)
    all_ids = [c["id"] for c in cases]
    for i in sorted(set(expected_pass) - set(all_ids)):
        log("WARN expected_pass.txt lists unknown case %s" % i)
    for i in sorted(set(deliberate) - set(all_ids)):
        log("WARN deliberate_differences.txt lists unknown case %s" % i)

    selected = cases
    if args.case:
        selected = [c for c in selected if c["id"] in set(args.case)]
    if args.filter:
        selected = [c for c in selected if re.search(args.filter, c["id"])]
    # Cases that overwrite a setup datasource run last (README); setups are re-created on demand.
    ordered_cases = [c for c in selected if not c.get("mutates_setup")] + [c for c in selected if c.get("mutates_setup")]

    workdir = tempfile.mkdtemp(prefix="strata-conformance-")
    server = StrataServer(os.path.abspath(args.strata), workdir)
    results = []
    exit_code = 0
    infra_error = None
    runner = None
    t_start = time.time()
    try:
        server.start()
        log("strata %s on %s, data dir %s" % (args.strata, server.base_url, server.data_dir))
        client = Client(server.base_url)
        runner = Runner(args, client, setups, data_dir)
        # Ingest the setups up front (in the order of setups.json) when a selected case needs them.
        needed = set()
        for c in ordered_cases:
            mode, name = parse_setup(c.get("setup"))
            if mode == "named":
                needed.add(name)
        for name, spec in setups.items():
            if spec.get("ingest_sql") and (name in needed or not (args.case or args.filter)):
                runner.ensure_setup(name)

        for case in ordered_cases:
            cid = case["id"]
            if cid in deliberate:
                results.append({"id": cid, "kind": case.get("kind"), "status": "SKIP", "reason": deliberate[cid],
                                "seconds": 0.0})
                print("SKIP %s (deliberate difference: %s)" % (cid, deliberate[cid]), flush=True)
                continue
            t0 = time.time()
            try:
                passed, reason = runner.run_case(case)
            except Terminated:
                raise
            except Exception as e:  # a runner bug must not hide the other cases
                passed, reason = False, "runner exception: %s: %s" % (type(e).__name__, e)
            if not server.alive():
                passed = False
                reason = (reason + "; " if reason else "") + "strata server died: " + short(server.log_tail(5), 300)
            dt = time.time() - t0
            if case.get("mutates_setup"):
                _, name = parse_setup(case.get("setup"))
                if runner.setup_state.get(name) == "ok":
                    runner.setup_state[name] = "dirty"
            status = "PASS" if passed else "FAIL"
            results.append({"id": cid, "kind": case.get("kind"), "status": status, "reason": reason,
                            "seconds": round(dt, 3)})
            if passed:
                print("PASS %s" % cid, flush=True)
            else:
                print("FAIL %s: %s" % (cid, short(reason or "", REASON_MAX)), flush=True)
            if not server.alive():
                infra_error = "strata server died during case %s" % cid
                break
    except RunnerError as e:
        infra_error = str(e)
    except Terminated as e:
        infra_error = str(e)
    finally:
        server.stop()
        if infra_error or args.keep_tmp:
            tail = server.log_tail(30)
            if infra_error and tail:
                log("server log tail:\n" + tail)
        if args.keep_tmp:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    run_ids = {r["id"] for r in results}
    passed_ids = sorted(r["id"] for r in results if r["status"] == "PASS")
    failed_ids = sorted(r["id"] for r in results if r["status"] == "FAIL")
    expected_set = set(expected_pass)
    regressions = sorted(i for i in failed_ids if i in expected_set)
    # Cases that should have run but did not (server died, termination) count as regressions too.
    not_run = sorted(i for i in expected_set
                     if i not in run_ids and i not in deliberate and any(c["id"] == i for c in ordered_cases))
    new_passes = sorted(i for i in passed_ids if i not in expected_set)
    skipped_expected = sorted(i for i in expected_set if i in deliberate)

    for i in new_passes:
        print("NEW PASS %s (not in expected_pass.txt; run with --update-expected to add it)" % i, flush=True)
    for i in regressions:
        print("REGRESSION %s" % i, flush=True)
    if not_run and infra_error:
        print("REGRESSION: %d cases of expected_pass.txt did not run (%s)" % (len(not_run), infra_error), flush=True)
    else:
        for i in not_run:
            print("REGRESSION %s (not run)" % i, flush=True)
    for i in skipped_expected:
        log("WARN %s is both in expected_pass.txt and deliberate_differences.txt" % i)

    n_run = len([r for r in results if r["status"] != "SKIP"])
    n_skip = len([r for r in results if r["status"] == "SKIP"])
    setup_errors = runner.setup_errors if runner else []
    if infra_error:
        print("conformance: infrastructure error: %s" % infra_error, flush=True)
    print("conformance: %d/%d passed" % (len(passed_ids), n_run), flush=True)
    if n_skip:
        print("conformance: %d skipped (deliberate differences)" % n_skip, flush=True)
    log("%.1fs" % (time.time() - t_start))

    if args.update_expected and not infra_error:
        if args.allow_shrink:
            # keep entries of cases that were not selected this run
            new_list = set(passed_ids) | {i for i in expected_set if i not in run_ids and i in all_ids}
        else:
            new_list = expected_set | set(passed_ids)
        write_expected(args.expected_pass, new_list)
        log("wrote %s (%d ids)" % (args.expected_pass, len(new_list)))
        if args.allow_shrink:
            regressions, not_run = [], []

    if args.json_out:
        summary = {
            "passed": len(passed_ids),
            "total": n_run,
            "skipped": n_skip,
            "regressions": regressions + not_run,
            "new_passes": new_passes,
            "setup_errors": setup_errors,
            "infrastructure_error": infra_error,
            "cases": results,
        }
        with open(args.json_out, "w") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)
            f.write("\n")

    if infra_error and not results:
        exit_code = 2
    elif infra_error or setup_errors or regressions or not_run:
        exit_code = 1
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
