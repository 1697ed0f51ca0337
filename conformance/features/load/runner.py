"""The parent side of a load run: start the locust child process (bounded, killed with
its workers on timeout or Ctrl-C), time TCP connects from this process while it runs,
and turn raw samples into LoadStats."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...engine.http import connect_time, percentile
from ...errors import ProbeError
from .settings import LoadSettings

SATURATED_CPU_PERCENT = 90.0


@dataclass
class LoadStats:
    settings: LoadSettings
    samples: list               # [name, start_epoch_s, latency_ms, status, error]
    connects: list              # (seconds or None, why)
    cpu_percent: list           # per generator process (child, then workers)
    began: float
    elapsed_s: float
    locust_html: str = ""       # locust's own HTML report of the run (written beside ours)
    invocations: list = field(init=False)
    pings: list = field(init=False)

    def __post_init__(self) -> None:
        self.invocations = [s for s in self.samples if s[0] == "/invocations"]
        self.pings = [s for s in self.samples if s[0] == "/ping"]

    @property
    def failures(self) -> list:
        return [s for s in self.invocations if s[4] or not (s[3] and 200 <= s[3] < 300)]

    @property
    def rps(self) -> float:
        return len(self.invocations) / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def saturated(self) -> bool:
        return any(c >= SATURATED_CPU_PERCENT for c in self.cpu_percent)

    def latency_ms(self, q: float) -> float:
        values = [s[2] for s in self.invocations if not s[4]]
        return percentile(values, q) if values else float("nan")

    def summary(self) -> dict:
        """The JSON report's top-level `load` object."""
        return {"users": self.settings.users, "duration_s": round(self.elapsed_s, 3),
                "workers": self.settings.workers,
                "remote_workers": self.settings.remote_workers if self.settings.master else 0,
                "requests": len(self.invocations),
                "failures": len(self.failures), "rps": round(self.rps, 3),
                "p50_ms": _r(self.latency_ms(50)), "p90_ms": _r(self.latency_ms(90)),
                "p99_ms": _r(self.latency_ms(99)), "max_ms": _r(self.latency_ms(100)),
                "pings": len(self.pings), "generator_cpu_percent": self.cpu_percent,
                "generator_saturated": self.saturated, "timeline": self.timeline(),
                "latencies_ms": [round(s[2], 2) for s in self.invocations if not s[4]]}

    def timeline(self) -> list:
        """Per second since the start: requests done, failures, p50 and max latency."""
        buckets: dict = {}
        for s in self.invocations:
            second = int(s[1] + s[2] / 1000.0 - self.began)
            buckets.setdefault(second, []).append(s)
        rows = []
        for second in range(0, int(self.elapsed_s)):  # whole seconds only
            done = buckets.get(second, [])
            ok = [s[2] for s in done if not s[4]]
            rows.append({"t": second, "requests": len(done), "failures": len(done) - len(ok),
                         "p50_ms": round(percentile(ok, 50), 2) if ok else None,
                         "max_ms": round(max(ok), 2) if ok else None})
        return rows


def run_load(host: str, port: int, payload: Path, content_type: str, accept: str,
             settings: LoadSettings, progress: Callable[[str], None] = lambda _: None) -> LoadStats:
    result_path = Path(tempfile.mkstemp(prefix="smc-load-", suffix=".json")[1])
    job = {"env": {"SMC_LOAD_HOST": f"http://{host}:{port}", "SMC_LOAD_PAYLOAD": str(payload),
                   "SMC_LOAD_CONTENT_TYPE": content_type, "SMC_LOAD_ACCEPT": accept,
                   "SMC_LOAD_PING_INTERVAL_S": str(settings.ping_interval_s)},
           "users": settings.users, "spawn_rate": settings.spawn_rate, "duration_s": settings.duration_s,
           "workers": settings.workers, "remote_workers": settings.remote_workers if settings.master else 0,
           "worker_wait_s": settings.worker_wait_s, "result_path": str(result_path)}
    job["master_bind"], job["master_port"] = settings.master_address()
    progress(f"load: {settings.users} users for {settings.duration_s:g} s")
    connects: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_connects, args=(host, port, connects, stop), daemon=True)
    child = subprocess.Popen([sys.executable, "-m", "conformance.features.load._child"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        sampler.start()
        _, err = child.communicate(json.dumps(job), timeout=settings.duration_s + settings.worker_wait_s + 90)
        if child.returncode != 0:
            raise ProbeError(f"the load generator failed (exit {child.returncode}): {err.strip()[-400:]}")
        data = json.loads(result_path.read_text())
    except subprocess.TimeoutExpired:
        raise ProbeError("the load generator did not finish in time") from None
    finally:
        stop.set()
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        result_path.unlink(missing_ok=True)
        sampler.join(timeout=10)
    began, elapsed = data["began"], data["elapsed_s"]
    in_window = [(s, why) for at, s, why in connects if began <= at <= began + elapsed]
    return LoadStats(settings, data["raw"], in_window, data["cpu_percent"], began, elapsed,
                     data.get("locust_html", ""))


def _r(value: float):
    return None if value != value else round(value, 2)  # NaN (no sample) -> null


def _sample_connects(host: str, port: int, out: list, stop: threading.Event) -> None:
    while not stop.is_set():
        at = time.time()
        out.append((at, *connect_time(host, port, timeout=3.0)))
        stop.wait(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
