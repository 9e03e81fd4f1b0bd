# SPDX-License-Identifier: MIT
"""concur_protocol - what the py-* models share: the protocol with the
harness, the compute kernel, and a blocking HTTP fetch.

This is the Python counterpart of common/: the model files hold only the
concurrency. The protocol is in models/README.md: the harness writes one
JSON document (the options and the tasks) on our stdin; we answer with one
JSON line per task on stdout, then one line with our own run time.

Errors are results, never exceptions: a fetch that fails becomes a result
whose kind says how (the same names common/fetch.c uses).
"""
import http.client
import json
import socket
import sys
import time
import zlib
from urllib.parse import urljoin, urlsplit

import concur_work

# The kernel: common/kernel.h and common/README.md state it exactly.
MASK64 = (1 << 64) - 1
SEED_MIX = 0x9E3779B97F4A7C15
MUL = 0xBF58476D1CE4E5B9
ADD = 0x94D049BB133111EB

MAX_REDIRECTS = 5  # as libcurl is told in common/fetch.c
REDIRECT_CODES = (301, 302, 303, 307, 308)


# --- The protocol ---------------------------------------------------------

def read_batch():
    """The harness's document: (tasks, options). Task seeds arrive as
    hex strings because they may not fit a JSON number."""
    doc = json.load(sys.stdin)
    for task in doc["tasks"]:
        task["seed"] = int(task["seed"], 16)
    # The compute kind's buffer or library, ready before the clock starts.
    concur_work.compute_function(doc["options"], kernel_run)
    return doc["tasks"], doc["options"]


def new_result(task):
    return {"index": task["index"], "kind": "other", "status": 0,
            "bytes": 0, "checksum": 0, "start": 0.0, "end": 0.0,
            "worker": 0, "message": ""}


def write_result(result):
    """One line per task, flushed at once: if we die, what we finished is
    already with the harness."""
    line = dict(result, checksum=format(result["checksum"], "#x"))
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def write_done(run_s, workers, figures=None):
    """The last line: our run time, from reading the batch to the last
    result, without the interpreter's start-up and imports; how many
    threads, processes or slots we really started; and optionally figures
    about the run as a whole ({"pool_start_s": 0.012}), which the harness
    keeps as the C models' figures (runs.csv's figures column)."""
    done = {"run_s": run_s, "workers": workers}
    if figures:
        done["figures"] = figures
    sys.stdout.write(json.dumps(done) + "\n")
    sys.stdout.flush()


def trace(options, model, worker, result, what):
    """The trace line every concur model prints (common/execute.h)."""
    if not options.get("trace"):
        return
    line = f"[{model} w{worker}] task {result['index']} {what}"
    if what == "done":
        ms = (result["end"] - result["start"]) * 1000
        line += f" {result['kind']} {ms:.0f} ms"
    print(line, file=sys.stderr, flush=True)


# --- The compute kernel ---------------------------------------------------

def kernel_run(seed, units, iters_per_unit):
    x = (seed ^ SEED_MIX) & MASK64
    for _ in range(units * iters_per_unit):
        x = ((x ^ (x >> 29)) * MUL + ADD) & MASK64
    return x


def compute(task, result, options):
    """The compute half of a task (common/execute.c's task_compute): a
    compute task runs from its seed; a mixed task whose fetch was ok runs
    from the body's CRC-32, which becomes its checksum. A unit is the
    kernel in Python unless the harness chose another kind
    (concur_work.py: hashlib, zlib, the kernel in C through ctypes)."""
    run = concur_work.compute_function(options, kernel_run)
    if task["type"] == "compute":
        result["checksum"] = run(task["seed"], task["work"])
        result["kind"] = "ok"
    elif task["type"] == "mixed" and result["kind"] == "ok":
        result["checksum"] = run(result["checksum"], task["work"])


# --- A blocking fetch with http.client ------------------------------------

class TransferTimeout(TimeoutError):
    """The whole transfer outlived options["timeout_s"]."""


def classify(exc):
    """Names a failed fetch the way common/fetch.c names libcurl's."""
    if isinstance(exc, http.client.IncompleteRead):
        return "truncated"
    if isinstance(exc, socket.gaierror):
        return "dns"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
        return "timeout"
    if isinstance(exc, (ConnectionError, http.client.RemoteDisconnected)):
        return "reset"
    return "other"


class Fetcher:
    """Blocking GETs over kept-alive connections, one per host.

    Not shared: each thread or process owns its own Fetcher, as each C
    worker owns its CURL handle (a http.client connection must not be
    used by two threads at once)."""

    def __init__(self, options):
        self.connect_timeout = options["connect_timeout_s"]
        self.timeout = options["timeout_s"]
        self.conns = {}  # (scheme, host:port) -> HTTPConnection

    def fetch(self, url, result):
        """Fills result's kind, status, bytes, checksum and message."""
        deadline = time.monotonic() + self.timeout
        try:
            for _ in range(MAX_REDIRECTS + 1):
                location = self._get(url, result, deadline)
                if location is None:
                    break
                url = urljoin(url, location)
            else:
                raise http.client.HTTPException("too many redirects")
            if result["status"] >= 400:
                result["kind"] = "http_error"
                result["message"] = f"HTTP {result['status']}"
            else:
                result["kind"] = "ok"
        except Exception as exc:  # every failure becomes a result kind
            self._drop(url)
            result["kind"] = classify(exc)
            result["message"] = str(exc) or type(exc).__name__

    def _get(self, url, result, deadline):
        """One request; returns the Location to follow, or None."""
        parts = urlsplit(url)
        conn, reused = self._connection(parts, deadline)
        try:
            response, sock = self._request(conn, parts, deadline)
        except (ConnectionError, http.client.RemoteDisconnected):
            if not reused:
                raise
            # A server may close an idle kept-alive connection at any
            # time: try once more on a new one, as libcurl does.
            self._drop(url)
            conn, _ = self._connection(parts, deadline)
            response, sock = self._request(conn, parts, deadline)
        result["status"] = response.status
        location = response.getheader("Location")
        if response.status in REDIRECT_CODES and location:
            response.read()
            response.close()
            return location
        self._read_body(response, sock, result, deadline)
        return None

    def _request(self, conn, parts, deadline):
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query
                                        else "")
        conn.request("GET", target, headers={"User-Agent": "concur/1"})
        # Kept: on "Connection: close" conn lets go of its socket in
        # getresponse, but the body is still read from it.
        sock = conn.sock
        sock.settimeout(self._left(deadline))
        return conn.getresponse(), sock

    def _read_body(self, response, sock, result, deadline):
        result["bytes"] = 0
        crc = 0
        while True:
            sock.settimeout(self._left(deadline))
            chunk = response.read1(65536)  # at most one recv: the
            if not chunk:                  # deadline is checked often
                break
            crc = zlib.crc32(chunk, crc)
            result["bytes"] += len(chunk)
            result["checksum"] = crc
        result["checksum"] = crc
        # read1 returns b"" at an early end instead of raising: compare
        # what arrived with what Content-Length promised.
        if response.length:
            raise http.client.IncompleteRead(b"", response.length)
        response.close()  # the connection is free for the next request

    def _connection(self, parts, deadline):
        key = (parts.scheme, parts.netloc)
        conn = self.conns.get(key)
        if conn is not None and conn.sock is not None:
            return conn, True
        cls = (http.client.HTTPSConnection if parts.scheme == "https"
               else http.client.HTTPConnection)
        conn = cls(parts.netloc, timeout=min(self.connect_timeout,
                                             self._left(deadline)))
        try:
            conn.connect()
        except (socket.gaierror, TimeoutError):
            raise
        except OSError as exc:
            # libcurl calls every other failure to connect "couldn't
            # connect", which common/fetch.c reports as refused.
            raise ConnectionRefusedError(str(exc)) from exc
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conns[key] = conn
        return conn, False

    def _drop(self, url):
        parts = urlsplit(url)
        conn = self.conns.pop((parts.scheme, parts.netloc), None)
        if conn is not None:
            conn.close()

    @staticmethod
    def _left(deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TransferTimeout("transfer timed out")
        return left


# --- Open loop: a task's arrival ---------------------------------------------

def arrival_delay(task, t0):
    """Seconds until the task is meant to start (--arrival open: its
    "arrival", seconds after t0); 0 in a closed run or once it is due."""
    arrival = task.get("arrival")
    return max(0.0, t0 + arrival - time.monotonic()) if arrival else 0.0


def too_late(options, t0):
    """Has the open run's deadline passed? Then no task starts."""
    return time.monotonic() - t0 > options.get("deadline_s", float("inf"))


def late_result(task, options):
    """A task that arrived after the deadline: not run (the overload)."""
    result = new_result(task)
    result["kind"] = "not_run"
    result["message"] = ("not started by the open run's deadline, "
                         f"{options['deadline_s']:.3f} s (overload)")
    return result


# --- One task, start to end -----------------------------------------------

def run_task(task, fetcher, options, t0, model, worker):
    """Runs one task on this thread (common/execute.c's task_execute):
    the fetch if it has one, then the compute; times are seconds since t0,
    the start of our measured run."""
    time.sleep(arrival_delay(task, t0))  # open loop: not before it
    if too_late(options, t0):
        return late_result(task, options)
    result = new_result(task)
    result["worker"] = worker
    result["start"] = time.monotonic() - t0
    trace(options, model, worker, result, "start")
    if task["type"] != "compute":
        fetcher.fetch(task["url"], result)
    compute(task, result, options)
    result["end"] = time.monotonic() - t0
    trace(options, model, worker, result, "done")
    return result
