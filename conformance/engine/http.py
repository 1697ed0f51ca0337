"""Timed HTTP and TCP primitives. Every call has a bound; a failure is a sample with an
error, never an exception."""
from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool

MEASURE_GRACE_S = 3.0         # we wait this much longer than a limit, to say by how much it was missed
CONNECT_TIMEOUT_S = 3.0
BODY_HEAD_BYTES = 300         # what a sample keeps of a response body (the rest is only counted)
_CHUNK = 64 * 1024


@dataclass
class HttpSample:
    method: str
    path: str
    started: float                 # monotonic
    elapsed_s: float
    status: Optional[int] = None
    body_bytes: int = 0
    error: str = ""
    headers: dict = field(default_factory=dict)
    body_head: bytes = b""
    request_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        if self.error:
            return f"{self.method} {self.path}: {self.error} after {self.elapsed_s:.3f} s"
        return f"{self.method} {self.path} -> {self.status} in {self.elapsed_s:.3f} s"


def http_call(base_url: str, method: str, path: str, *, body=None,
              headers: Optional[dict] = None, read_timeout: float,
              keep_bytes: int = BODY_HEAD_BYTES) -> HttpSample:
    """One request on a fresh connection, timed from before connect to the last byte.
    `read_timeout` is a total deadline: a body that trickles in is cut off at it. `body`
    is bytes, an open file streamed from disk (with its Content-Length), or an iterator
    (sent chunked). `keep_bytes`: how much of the response body the sample keeps."""
    started = time.monotonic()
    sample = _timed_request(base_url, method, path, body, headers, read_timeout, started, keep_bytes)
    sample.request_bytes = len(body) if isinstance(body, (bytes, bytearray)) else (
        os.fstat(body.fileno()).st_size if hasattr(body, "fileno") else 0)
    return sample


class Deadline:
    """One bound over a whole exchange (connect, send, status line, headers, body): at
    `at` every socket of the exchange is shut down, so that a server that trickles its
    status line or headers a byte at a time, or reads a large body slowly, cannot hold a
    call past it (requests' own timeouts are per connect and per recv)."""

    def __init__(self, at: float) -> None:
        self.at, self.fired, self._socks = at, False, []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, at - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def attach(self, sock: Optional[socket.socket]) -> None:
        with self._lock:
            self._socks.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired, socks = True, list(self._socks)
        for sock in socks:
            _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def deadline_session(deadline: Deadline) -> requests.Session:
    """A session whose connections live under `deadline`: the send may take what is left
    of it (not only the connect timeout), and the deadline can shut them down."""
    class Connection(HTTPConnection):
        def request(self, *args, **kwargs):
            if self.sock is None:
                self.connect()   # connect within the connect timeout, then send within the deadline
                deadline.attach(self.sock)
            self.timeout = deadline.left()
            super().request(*args, **kwargs)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    session = requests.Session()
    session.trust_env = False   # never through HTTP(S)_PROXY: we talk to our own container
    adapter = HTTPAdapter(max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": Pool}
    session.mount("http://", adapter)
    return session


def _timed_request(base_url: str, method: str, path: str, body, headers: Optional[dict],
                   deadline_s: float, started: float, keep_bytes: int) -> HttpSample:
    def failed(error: str) -> HttpSample:
        return HttpSample(method, path, started, time.monotonic() - started, error=error)

    deadline = Deadline(started + deadline_s)
    try:
        with deadline_session(deadline) as session:
            response = session.request(method, base_url + path, data=body, headers=headers or {},
                                       timeout=(CONNECT_TIMEOUT_S, deadline_s), stream=True,
                                       allow_redirects=False)
            with response:
                size, head, cut = _read_body(response, started + deadline_s, keep_bytes)
        if cut:
            return failed(f"no answer within {deadline_s:g} s (the body was still arriving: "
                          f"{size} bytes so far)")
        return HttpSample(method, path, started, time.monotonic() - started, response.status_code,
                          size, headers=dict(response.headers), body_head=head)
    except requests.exceptions.ReadTimeout:
        return failed(f"no answer within {deadline_s:g} s")
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        if deadline.fired or time.monotonic() - started >= deadline_s:
            return failed(f"no answer within {deadline_s:g} s")
        return failed(_reason(exc))
    finally:
        deadline.cancel()


def _read_body(response: requests.Response, deadline: float,
               keep_bytes: int = BODY_HEAD_BYTES) -> tuple[int, bytes, bool]:
    """Count the body's bytes and keep its head; past the deadline (whose timer shuts
    the socket down under a blocked read) the body is cut."""
    size, parts, kept = 0, [], 0
    try:
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if kept < keep_bytes:
                parts.append(chunk[:keep_bytes - kept])
                kept += len(parts[-1])
            if time.monotonic() >= deadline:
                return size, b"".join(parts), True
    except requests.exceptions.RequestException:
        if time.monotonic() >= deadline:
            return size, b"".join(parts), True
        raise
    return size, b"".join(parts), False


def _socket_of(response: requests.Response) -> Optional[socket.socket]:
    connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
    return getattr(connection, "sock", None)


def _shutdown(sock: Optional[socket.socket]) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Connection reset", "RemoteDisconnected",
                   "Connection aborted", "timed out", "No route to host"):
        if marker in text:
            return marker.lower() if marker != "RemoteDisconnected" else "connection closed without a response"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def connect_time(host: str, port: int, timeout: float = 5.0) -> tuple[Optional[float], str]:
    """Seconds until the TCP handshake completed, or (None, why)."""
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return time.monotonic() - started, ""
    except socket.timeout:
        return None, f"not accepted within {timeout:g} s"
    except OSError as exc:
        return None, exc.strerror or str(exc)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]
