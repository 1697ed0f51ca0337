"""Measurements for --mode async: a body up to 1 GB streamed from disk (never held in
memory), and MaxConcurrentInvocationsPerInstance requests at once with /ping asked
meanwhile. Source: contract.md async.payload, async.concurrency (ASYNC, API-SM)."""
from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ...engine.http import MEASURE_GRACE_S, HttpSample, http_call
from ...engine.payloads import LINE_TYPES
from ...contract import PING_LIMIT_S
from ...registry import measurement

WRITE_CHUNK = 8 * 1024 * 1024


def big_body_file(payload: bytes, content_type: str, size: int,
                  folder: Optional[str] = None) -> Optional[Path]:
    """The payload's lines repeated into a file of `size` bytes (line-oriented types only:
    a JSON document cannot be grown without holding it whole)."""
    if content_type.split(";")[0].strip().lower() not in LINE_TYPES or not payload:
        return None
    unit = payload if payload.endswith(b"\n") else payload + b"\n"
    block = unit * max(1, WRITE_CHUNK // len(unit))
    path = Path(tempfile.mkstemp(prefix="async-body-", dir=folder)[1])
    with path.open("wb") as out:
        left = size // len(unit) * len(unit) or len(unit)
        while left > 0:
            piece = block[:left]
            out.write(piece)
            left -= len(piece)
    return path


def post_file(base_url: str, path: Path, headers: dict, deadline_s: float) -> HttpSample:
    with path.open("rb") as body:
        return http_call(base_url, "POST", "/invocations", body=body, headers=headers,
                         read_timeout=deadline_s + MEASURE_GRACE_S)


@dataclass
class ConcurrentRun:
    invocations: list = field(default_factory=list)   # HttpSample
    pings: list = field(default_factory=list)         # HttpSample while they were in flight
    concurrency: int = 0


def concurrent_invocations(invoke: Callable[[], HttpSample], ping: Callable[[], HttpSample],
                           concurrency: int, rounds: int = 3) -> ConcurrentRun:
    """`concurrency` threads, each sending `rounds` invocations back to back, while /ping
    is asked once every 0.1 s in another thread."""
    run = ConcurrentRun(concurrency=concurrency)
    done = threading.Event()

    def worker() -> None:
        for _ in range(rounds):
            run.invocations.append(invoke())

    def pinger() -> None:
        while not done.is_set():
            run.pings.append(ping())
            done.wait(0.1)

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    watcher = threading.Thread(target=pinger, daemon=True)
    for thread in workers + [watcher]:
        thread.start()
    for thread in workers:
        thread.join()
    done.set()
    watcher.join(timeout=PING_LIMIT_S + MEASURE_GRACE_S)
    return run


@measurement("async_payload")
def async_payload(probes):
    """The payload grown to the async size in a file, streamed from disk."""
    size = probes.config.mode_settings.payload_bytes
    path = big_body_file(probes.payload or b"", probes.content_type, size)   # removed below
    if path is None:
        return None
    try:
        probes.progress(f"POST /invocations with a {path.stat().st_size} byte body streamed from disk")
        return post_file(probes.target.base_url, path, {"Content-Type": probes.content_type,
                         "Accept": probes.accept}, probes.invoke_limit_s)
    finally:
        path.unlink()


@measurement("async_concurrency")
def async_concurrency(probes):
    count = probes.config.mode_settings.max_concurrent
    probes.progress(f"{count} invocations at once (MaxConcurrentInvocationsPerInstance), /ping meanwhile")
    return concurrent_invocations(probes.invoke, probes.ping, count)
