"""A small Druid API client for the HTTP end-to-end tests.

It speaks only the public HTTP API (the same requests a Druid user would send with `requests`), and
adds the waiting and SQL-quoting the tests need.  Nothing here knows about Strata internals.
"""

import json
import re
import time

import requests

SQL_PATH = "/druid/v2/sql"
SQL_TASK_PATH = "/druid/v2/sql/task"
TASK_PATH = "/druid/indexer/v1/task"

# Task ids of MSQ controller tasks: "query-" + a UUID (§5.6).
TASK_ID_RE = re.compile(r"^query-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# ISO-8601 UTC timestamps with millis, as Druid prints them.
ISO_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

REQUEST_TIMEOUT_SECONDS = 60


def sql_string(text):
    """Quotes `text` as a SQL string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def extern(input_source, input_format, signature):
    """`TABLE(EXTERN(...))` with the three JSON-string arguments (form 1 of §2)."""
    return "TABLE(EXTERN({}, {}, {}))".format(
        sql_string(json.dumps(input_source)),
        sql_string(json.dumps(input_format)),
        sql_string(json.dumps(signature)),
    )


def inline_source(lines):
    """An inline input source whose data is `lines` joined by newlines."""
    return {"type": "inline", "data": "\n".join(lines) + "\n"}


def json_lines(rows):
    """Serializes dicts as JSON lines (a list of strings)."""
    return [json.dumps(row) for row in rows]


# The signature used by most small tests: a time string, a string dimension and a long.
SMALL_SIGNATURE = [
    {"name": "ts", "type": "string"},
    {"name": "dim", "type": "string"},
    {"name": "cnt", "type": "long"},
]


def small_extern(rows):
    """EXTERN over inline JSON lines with SMALL_SIGNATURE. `rows` are (ts, dim, cnt) tuples."""
    lines = json_lines([{"ts": ts, "dim": dim, "cnt": cnt} for ts, dim, cnt in rows])
    return extern(inline_source(lines), {"type": "json"}, SMALL_SIGNATURE)


class DruidClient:
    """Talks to one server.  `server` must have a `url` attribute (it may change across restarts)."""

    def __init__(self, server):
        self._server = server
        self.session = requests.Session()

    @property
    def url(self):
        return self._server.url

    # --- raw requests -----------------------------------------------------------------------------

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_SECONDS)
        return self.session.get(self.url + path, **kwargs)

    def post(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_SECONDS)
        return self.session.post(self.url + path, **kwargs)

    def delete(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_SECONDS)
        return self.session.delete(self.url + path, **kwargs)

    # --- /druid/v2/sql ----------------------------------------------------------------------------

    def sql(self, query, **body):
        """POSTs a SQL request; extra keyword arguments become body fields (resultFormat, header, ...)."""
        body["query"] = query
        return self.post(SQL_PATH, json=body)

    def sql_rows(self, query, context=None):
        """Runs `query` with resultFormat array and returns the rows; fails the test on an error."""
        body = {"resultFormat": "array"}
        if context is not None:
            body["context"] = context
        response = self.sql(query, **body)
        assert response.status_code == 200, (query, response.status_code, response.text)
        return response.json()

    def sql_value(self, query):
        """The single value of a one-row, one-column query."""
        rows = self.sql_rows(query)
        assert len(rows) == 1 and len(rows[0]) == 1, (query, rows)
        return rows[0][0]

    # --- /druid/v2/sql/task -----------------------------------------------------------------------

    def submit_task(self, query, context=None, **body):
        body["query"] = query
        if context is not None:
            body["context"] = context
        return self.post(SQL_TASK_PATH, data=json.dumps(body), headers={"Content-Type": "application/json"})

    def submit_task_id(self, query, context=None):
        """Submits and returns the task id; fails the test unless the submission was accepted."""
        response = self.submit_task(query, context)
        assert response.status_code in (200, 202), (query, response.status_code, response.text)
        body = response.json()
        assert body.get("state") == "RUNNING", body
        assert TASK_ID_RE.match(body["taskId"]), body
        return body["taskId"]

    def task_status(self, task_id):
        return self.get(f"{TASK_PATH}/{task_id}/status")

    def task_report(self, task_id):
        return self.get(f"{TASK_PATH}/{task_id}/reports")

    def task_payload(self, task_id):
        return self.get(f"{TASK_PATH}/{task_id}")

    def shutdown_task(self, task_id):
        return self.post(f"{TASK_PATH}/{task_id}/shutdown")

    def wait_for_task(self, task_id, timeout=90):
        """Polls the task status until it is no longer RUNNING; returns the `status` object."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            response = self.task_status(task_id)
            assert response.status_code == 200, (task_id, response.status_code, response.text)
            last = response.json()["status"]
            if last["statusCode"] not in ("RUNNING", "PENDING", "WAITING"):
                return last
            time.sleep(0.05)
        raise AssertionError(f"task {task_id} still not complete after {timeout}s: {last}")

    def wait_until_running(self, task_id, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.task_status(task_id).json()["status"]
            if status["statusCode"] == "RUNNING" and status["runnerStatusCode"] == "RUNNING":
                return status
            assert status["statusCode"] == "RUNNING", status
            time.sleep(0.02)
        raise AssertionError(f"task {task_id} never reached RUNNING")

    def run_task(self, query, context=None, timeout=90):
        """Submits, waits, and returns (task_id, final status)."""
        task_id = self.submit_task_id(query, context)
        return task_id, self.wait_for_task(task_id, timeout)

    def ingest(self, query, context=None):
        """Runs an INSERT/REPLACE that must succeed; returns the task id."""
        task_id, status = self.run_task(query, context)
        assert status["status"] == "SUCCESS", (query, status)
        return task_id

    def report_payload(self, task_id):
        response = self.task_report(task_id)
        assert response.status_code == 200, (task_id, response.status_code, response.text)
        return response.json()["multiStageQuery"]["payload"]


def assert_error_response(response, message_part, status=400):
    """An error in Druid's JSON error shape (§1.3) whose errorMessage contains `message_part`.

    The seed documents the 4-field shape {"error", "errorMessage", "errorClass", "host"}; newer Druid adds
    errorCode/persona/category/context, which is allowed.  Returns the body.
    """
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("Content-Type", "").split(";")[0] == "application/json", response.headers
    body = response.json()
    assert isinstance(body, dict), body
    for key in ("error", "errorMessage", "errorClass", "host"):
        assert key in body, (key, body)
    assert isinstance(body["error"], str) and body["error"], body
    assert message_part in body["errorMessage"], (message_part, body["errorMessage"])
    return body
