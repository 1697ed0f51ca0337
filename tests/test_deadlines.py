"""One deadline over a whole exchange (issue #24, "waits without an end"): hostile
servers of this test on 127.0.0.1, real sockets, no Docker. A status line trickled a byte
at a time is cut at the deadline (requests' timeouts are per recv), and a 6 MiB body sent
to a server that reads it late is bounded by the deadline, not by the 3 s connect timeout."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

from conformance.engine.http import CONNECT_TIMEOUT_S, http_call

SIX_MIB = 6 * 1024 * 1024


@contextmanager
def server(handle, rcvbuf: int = 0):
    """A listener on 127.0.0.1 that hands each connection to `handle` in a thread."""
    listener = socket.socket()
    if rcvbuf:   # inherited by accepted sockets: the body cannot vanish into kernel buffers
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def trickle_status_line(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
        if stop.is_set():
            break
        try:
            conn.sendall(bytes([byte]))
        except OSError:
            break
        time.sleep(0.2)   # every recv returns well within any per-recv timeout
    conn.close()


def read_late(conn: socket.socket, stop: threading.Event) -> None:
    """Reads nothing for 5 s (longer than the connect timeout), then the whole request."""
    time.sleep(CONNECT_TIMEOUT_S + 2)
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length")][0])
    received = len(body)
    while received < length:
        chunk = conn.recv(1024 * 1024)
        if not chunk:
            break
        received += len(chunk)
    answer = str(received).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
    conn.close()


def test_a_status_line_trickled_a_byte_at_a_time_is_cut_at_the_deadline():
    with server(trickle_status_line) as url:
        sample = http_call(url, "GET", "/ping", read_timeout=2.0)
    print(f"trickled status line: {sample.describe()}")
    assert sample.status is None and "no answer within 2 s" in sample.error, sample.describe()
    assert 1.9 <= sample.elapsed_s < 3.0, sample.elapsed_s   # the 40-byte head would take 8 s


def test_a_large_body_read_late_is_bounded_by_the_deadline_not_the_connect_timeout():
    with server(read_late, rcvbuf=64 * 1024) as url:
        sample = http_call(url, "POST", "/invocations", body=b"x" * SIX_MIB,
                           headers={"Content-Type": "text/csv"}, read_timeout=20.0)
    print(f"6 MiB read late: {sample.describe()}")
    assert sample.status == 200 and sample.body_head == str(SIX_MIB).encode(), sample.describe()
    assert sample.elapsed_s > CONNECT_TIMEOUT_S   # it really waited past the connect timeout


def test_a_large_body_never_read_is_cut_at_the_deadline():
    def never_read(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(30)
        conn.close()

    with server(never_read, rcvbuf=64 * 1024) as url:
        sample = http_call(url, "POST", "/invocations", body=b"x" * SIX_MIB, read_timeout=4.0)
    print(f"6 MiB never read: {sample.describe()}")
    assert sample.status is None and "no answer within 4 s" in sample.error, sample.describe()
    assert 3.9 <= sample.elapsed_s < 5.0, sample.elapsed_s


def test_a_64_mib_answer_is_counted_whole_and_only_its_head_is_kept():
    """Bodies are read in chunks and kept only up to keep_bytes (no copy per chunk of
    what was kept so far): a 64 MiB answer, with the 300-byte default and a 6 MiB keep."""
    body = b"y" * (64 * 1024 * 1024)

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
        conn.sendall(body)
        conn.close()

    with server(answer) as url:
        for keep in (300, SIX_MIB):
            sample = http_call(url, "GET", "/big", read_timeout=30.0, keep_bytes=keep)
            print(f"64 MiB answer, keeping {keep} bytes: {sample.describe()}")
            assert sample.status == 200 and sample.body_bytes == len(body), sample.describe()
            assert sample.body_head == body[:keep]
            assert sample.elapsed_s < 10.0   # a bound, not a benchmark: quadratic copying took 25.7 s
