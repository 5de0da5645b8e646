"""Fixtures for the HTTP end-to-end tests: real strata servers and a loopback HTTP file server.

- `server`: a fresh strata server (free 127.0.0.1 port, empty data dir under tmp_path), stopped after
  the test.  `module_server`: the same, shared by the tests of one module.
- `restart_server(server)`: stops a server (SIGTERM) and starts it again on the same data dir.
  `kill_server(server)`: SIGKILLs it (only ever the PID this fixture started).
- `file_server`: a threaded `http.server` on 127.0.0.1 serving test files, with
    /auth/<name>          basic auth required (user FILE_USER, password FILE_PASSWORD),
    /slow/<secs>/<name>?tag=..  the file streamed in small chunks spread over <secs> seconds,
  and copies of the wikiticker sample with the seed's field names (wikipedia.json, wikipedia.json.gz).

Environment: STRATA_BIN (the server binary), STRATA_SHARED_DIR (default /work/shared).
"""

import base64
import gzip
import http.server
import os
import pathlib
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

from druid_client import DruidClient

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_BIN = HERE.parent.parent / "build" / "src" / "app" / "strata"

FILE_USER = "druid"
FILE_PASSWORD = "s3cr3t-pass"



def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StrataServer:
    """One strata process we started.  Only this PID is ever signalled."""

    def __init__(self, binary, data_dir, log_path, extra_args=()):
        self.binary = str(binary)
        self.extra_args = list(extra_args)
        self.data_dir = pathlib.Path(data_dir)
        self.log_path = pathlib.Path(log_path)
        self.proc = None
        self.port = None
        self.url = None

    def start(self, timeout=30):
        """Starts on a free port. Tests run in parallel, so another test's server may take the
        port between our probe and our bind: ready means *our* process logged that it listens on
        our port and answers; a lost port race is retried on another port."""
        assert self.proc is None, "server already running"
        for _attempt in range(5):
            if self._start_on(free_port(), timeout):
                return
        raise RuntimeError(f"strata could not find a free port:\n{self.log_tail()}")

    def _start_on(self, port, timeout):
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [self.binary, "start", "--host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", str(self.data_dir)] + self.extra_args,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        marker = f"listening on http://127.0.0.1:{self.port}".encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                tail = self.log_tail()
                if "in use" in tail[-2000:]:
                    return False  # lost the port race: try another
                raise RuntimeError(f"strata exited with {code} during start-up:\n{tail}")
            if marker in self.log_path.read_bytes()[log_start:]:
                try:
                    response = requests.get(self.url + "/status/health", timeout=2)
                    if response.status_code == 200 and response.json() is True:
                        return True
                except (requests.ConnectionError, requests.Timeout, ValueError):
                    pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"strata did not become healthy within {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL if it does not exit in time.  Returns True if SIGTERM sufficed."""
        if self.proc is None:
            return True
        graceful = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                graceful = False
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        self.proc = None
        return graceful

    def kill(self):
        """SIGKILL: simulates the process dying mid-task."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=20)
        self.proc = None

    def restart(self):
        self.stop()
        self.start()

    def log_tail(self, num_bytes=4000):
        try:
            return self.log_path.read_bytes()[-num_bytes:].decode("utf-8", "replace")
        except OSError:
            return "<no log>"


@pytest.fixture(scope="session")
def strata_bin():
    binary = pathlib.Path(os.environ.get("STRATA_BIN", str(DEFAULT_BIN)))
    if not binary.is_file():
        pytest.fail(f"strata binary not found at {binary} (set STRATA_BIN)")
    return binary


@pytest.fixture(scope="session")
def shared_dir():
    return pathlib.Path(os.environ.get("STRATA_SHARED_DIR", "/work/shared"))


@pytest.fixture
def server_factory(strata_bin, tmp_path):
    """Starts servers on fresh or given data dirs; all are stopped at teardown."""
    started = []

    def make(data_dir=None, name="server", extra_args=()):
        data_dir = pathlib.Path(data_dir) if data_dir else tmp_path / f"{name}-data"
        data_dir.mkdir(parents=True, exist_ok=True)
        server = StrataServer(strata_bin, data_dir, tmp_path / f"{name}.log", extra_args)
        server.start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def server(server_factory):
    return server_factory()


@pytest.fixture
def client(server):
    return DruidClient(server)


@pytest.fixture(scope="module")
def module_server(strata_bin, tmp_path_factory):
    base = tmp_path_factory.mktemp("module-server")
    server = StrataServer(strata_bin, base / "data", base / "strata.log")
    (base / "data").mkdir()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_client(module_server):
    return DruidClient(module_server)


@pytest.fixture
def restart_server():
    """restart_server(server): SIGTERM the server and start it again on the same data dir."""
    return lambda server: server.restart()


@pytest.fixture
def kill_server():
    """kill_server(server): SIGKILL the server we started (no clean shutdown)."""
    return lambda server: server.kill()


# --- loopback file server ----------------------------------------------------------------------------


class _FileHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def __init__(self, *args, file_server=None, **kwargs):
        self.file_server = file_server
        super().__init__(*args, directory=str(file_server.root), **kwargs)

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def _route(self, send_body):
        self.file_server.record(self.command, self.path)
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/auth/"):
            expected = "Basic " + base64.b64encode(f"{FILE_USER}:{FILE_PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="strata-tests"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.path = path[len("/auth"):]
            return self._serve_default(send_body)
        if path.startswith("/slow/"):
            _, _, seconds, name = path.split("/", 3)
            return self._serve_slowly(name, float(seconds), send_body)
        return self._serve_default(send_body)

    def _serve_default(self, send_body):
        if send_body:
            return super().do_GET()
        return super().do_HEAD()

    def _serve_slowly(self, name, seconds, send_body):
        file_path = self.file_server.root / name
        if not file_path.is_file():
            self.send_error(404)
            return
        data = file_path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not send_body:
            return
        num_chunks = 200
        chunk_size = max(1, (len(data) + num_chunks - 1) // num_chunks)
        pause = seconds / num_chunks
        try:
            for offset in range(0, len(data), chunk_size):
                self.wfile.write(data[offset:offset + chunk_size])
                self.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the reader went away (cancel, kill -9): stop sending

    def do_GET(self):
        self._route(send_body=True)

    def do_HEAD(self):
        self._route(send_body=False)


class FileServer:
    """Serves `root` on a free 127.0.0.1 port from a daemon thread; records every request line."""

    auth_user = FILE_USER
    auth_password = FILE_PASSWORD

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self._lock = threading.Lock()
        self._requests = []
        handler = lambda *args, **kwargs: _FileHandler(*args, file_server=self, **kwargs)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def record(self, method, path):
        with self._lock:
            self._requests.append((method, path))

    def requests_for(self, path):
        with self._lock:
            return [r for r in self._requests if r[1] == path]

    def url(self, name):
        return f"{self.base_url}/{name}"

    def slow_url(self, name, seconds, tag):
        """`name` streamed over `seconds`; `tag` (a query string) tells requests of different tests apart."""
        return f"{self.base_url}/slow/{seconds:g}/{name}?tag={tag}"

    def auth_url(self, name):
        return f"{self.base_url}/auth/{name}"

    def add_file(self, name, content):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return self.url(name)

    def wait_for_request(self, url, timeout=30):
        """Waits until a GET of `url` (full URL as returned by url()/slow_url()) has arrived."""
        path = url[len(self.base_url):]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(method == "GET" for method, _ in self.requests_for(path)):
                return
            time.sleep(0.02)
        raise AssertionError(f"no GET {path} reached the file server within {timeout}s")


def _write_wikipedia_copies(shared, root):
    """The sample names its timestamp field "time"; the seed's wikipedia.json.gz calls it "timestamp"."""
    source = pathlib.Path(shared) / "data" / "wikiticker-2015-09-12-sampled.json"
    lines = source.read_bytes().splitlines(keepends=True)
    renamed = []
    for line in lines:
        assert line.startswith(b'{"time":'), line[:40]
        renamed.append(b'{"timestamp":' + line[len(b'{"time":'):])
    data = b"".join(renamed)
    (root / "wikipedia.json").write_bytes(data)
    (root / "wikipedia.json.gz").write_bytes(gzip.compress(data, compresslevel=6))


@pytest.fixture(scope="session")
def file_server(tmp_path_factory, shared_dir):
    root = tmp_path_factory.mktemp("www")
    _write_wikipedia_copies(shared_dir, root)
    server = FileServer(root)
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
