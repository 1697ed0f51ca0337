"""/ping while the /models API is driven: the platform keeps pinging an MME while it loads
and unloads models, and a load that blocks /ping past 2 s takes the instance out
(contract.md mme.ping; inference.ping.latency, HOST)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ...engine.http import MEASURE_GRACE_S, HttpSample, http_call
from ...contract import PING_LIMIT_S

PING_EVERY_S = 0.1


@dataclass
class PingWatch:
    samples: list = field(default_factory=list)   # every /ping sent while the drill ran

    @property
    def failures(self) -> list:
        return [s for s in self.samples if s.status != 200 or s.elapsed_s > PING_LIMIT_S]

    @property
    def slowest_s(self) -> float:
        return max((s.elapsed_s for s in self.samples), default=0.0)


class PingMonitor:
    """A thread pinging one server until stopped; use as a context manager."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self.watch = base_url, PingWatch()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mme-ping", daemon=True)

    def __enter__(self) -> PingWatch:
        self._thread.start()
        return self.watch

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(PING_LIMIT_S + MEASURE_GRACE_S + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.monotonic()
            sample: HttpSample = http_call(self.base_url, "GET", "/ping",
                                           read_timeout=PING_LIMIT_S + MEASURE_GRACE_S)
            self.watch.samples.append(sample)
            self._stop.wait(max(0.0, PING_EVERY_S - (time.monotonic() - began)))
