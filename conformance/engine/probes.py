"""Timed measurements against a healthy server, each taken once per run and shared by
the checks that judge it."""
from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from .http import CONNECT_TIMEOUT_S, MEASURE_GRACE_S, HttpSample, connect_time, http_call
from .launcher import Target
from .payloads import grow_payload
from .readiness import container_state
from .wait import wait_for
from ..registry import measurement_of

from ..config import MAX_BODY_BYTES   # 6,291,456 B each way (contract.md inference.invocations.request-size / response-size, API-RT)
from ..contract import INVOKE_LIMIT_S, PING_LIMIT_S
PLATFORM_HEADERS = {               # contract.md inference.headers.forwarded (API-RT, LOCAL)
    "X-Amzn-SageMaker-Custom-Attributes": "trace_id=5f2e,tenant=conformance",
    "X-Amzn-SageMaker-Target-Variant": "AllTraffic",
    "X-Amzn-SageMaker-Inference-Id": "smc-inference-0001",
    "X-Amzn-SageMaker-Enable-Explanations": "`false`",
    "X-Amzn-SageMaker-Conformance-Unknown": "an extra header the container must ignore",
}


# Measurements each check reads, taken together by Probes.warm (the rest stay lazy).
WARM_FOR = {"inference.ping": ("ping_series",), "inference.ping.latency": ("ping_series",),
            "inference.accept": ("accept_idle",), "inference.invocations": ("invocations",),
            "inference.headers": ("invocations", "invocation_with_platform_headers")}
# Not warmed with them: the 6 MiB body (parsing it can starve a server's accept loop, and
# idle accept would then measure that), the load window, the burst and the drills.
IDLE_ONLY = ("ping_series", "accept_idle")   # need no payload
PING_SERIES, PING_PAUSE_S = 20, 0.025   # one at a time; the platform pings far less often
LOAD_WINDOW_S = 1.0   # ~16 pings (one at a time) and ~35 connects sampled while 4 invocations run
LOAD_PING_PAUSE_S, LOAD_CONNECT_PAUSE_S = 0.05, 0.025
IDLE_CONNECTS = 30
IDLE_PAUSE_S = 0.02
BURST_CONNECTS = 50
FIRST_INVOCATION_WAIT_S = 10.0   # a server that says healthy may still be warming its first answer


@dataclass
class LoadWindow:
    invocations: list = field(default_factory=list)   # HttpSample
    pings: list = field(default_factory=list)         # HttpSample
    connects: list = field(default_factory=list)      # (seconds or None, error)
    workers: int = 0
    window_s: float = 0.0


@dataclass
class BadRequest:
    case: str
    sample: HttpSample
    alive: bool
    after: str            # what we saw when we asked /ping afterwards


def cached(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(self):
        key = fn.__name__
        if key not in self._cache:
            self._cache[key] = fn(self)
        return self._cache[key]
    return wrapper


class Probes:
    def __init__(self, target: Target, payload: Optional[bytes], content_type: str,
                 accept: str, progress: Callable[[str], None] = lambda _: None,
                 config=None) -> None:
        self.config = config
        self.max_body = config.max_body_bytes if config is not None else MAX_BODY_BYTES
        self.invoke_limit_s = config.invocation_limit_s if config is not None else INVOKE_LIMIT_S
        self.target = target
        self.payload = payload
        self.content_type = content_type
        self.accept = accept
        self.progress = progress
        self.log_tail: Callable[[], str] = lambda: ""   # the container's last lines, set by the driver
        self.restart: Optional[Callable[[], bool]] = None   # start it again (only what the tool started)
        self._cache: dict = {}

    def measured(self, name: str):
        """The registered measurement if this run took it, else None (never takes it)."""
        return self._cache.get(f"measure:{name}")

    def measure(self, name: str):
        """A measurement a mode or a feature registered (registry.measurement), taken once
        per run: the batch job, the locust run, the fuzzing run, a streamed response."""
        key = f"measure:{name}"
        if key not in self._cache:
            self._cache[key] = measurement_of(name)(self)
        return self._cache[key]

    def invoke(self, body: Optional[bytes] = None, extra: Optional[dict] = None,
               content_type: Optional[str] = None) -> HttpSample:
        headers = {"Content-Type": content_type or self.content_type, "Accept": self.accept}
        headers.update(extra or {})
        data = self.payload if body is None else body
        return http_call(self.target.base_url, "POST", "/invocations", body=data, headers=headers,
                         read_timeout=self.invoke_limit_s + MEASURE_GRACE_S)

    def ping(self) -> HttpSample:
        return http_call(self.target.base_url, "GET", "/ping",
                         read_timeout=PING_LIMIT_S + MEASURE_GRACE_S)

    @cached
    def first_invocations(self) -> list:
        """Invocations right after the first healthy ping, retried for up to 10 s."""
        samples: list = []

        def step() -> Optional[bool]:
            samples.append(self.invoke())
            return True if samples[-1].ok else None

        wait_for(step, FIRST_INVOCATION_WAIT_S, 0.25, what="2xx from /invocations")
        return samples

    @cached
    def ping_series(self) -> list:
        self.progress(f"asking /ping {PING_SERIES} times")
        series = []
        for _ in range(PING_SERIES):
            series.append(self.ping())
            time.sleep(PING_PAUSE_S)
        return series

    @cached
    def accept_idle(self) -> list:
        """Idle traffic as the platform sends it: one connection at a time, with a pause
        (health checks come every few seconds; clients are not a SYN flood)."""
        self.progress(f"timing {IDLE_CONNECTS} TCP connects, {IDLE_PAUSE_S * 1000:.0f} ms apart")
        samples = []
        for _ in range(IDLE_CONNECTS):
            samples.append(connect_time(self.target.host, self.target.port))
            time.sleep(IDLE_PAUSE_S)
        return samples

    @cached
    def accept_burst(self) -> list:
        """A harsher probe than the platform: connects back to back, with no pause. It
        measures the listen backlog, not idle accept (see inference.accept.burst)."""
        self.progress(f"timing {BURST_CONNECTS} TCP connects back to back")
        return [connect_time(self.target.host, self.target.port) for _ in range(BURST_CONNECTS)]

    @cached
    def ping_post(self) -> HttpSample:
        """POST /ping with an empty body, as the requirement list words it."""
        self.progress("POST /ping (empty body)")
        return http_call(self.target.base_url, "POST", "/ping", body=b"",
                         read_timeout=PING_LIMIT_S + MEASURE_GRACE_S)

    @cached
    def empty_invocation(self) -> HttpSample:
        """POST /invocations with an empty body: without a payload, this still tells
        whether the route exists."""
        self.progress("POST /invocations with an empty body (no --payload)")
        return self.invoke(body=b"")

    @cached
    def invocations(self) -> list:
        self.progress("POST /invocations with the payload")
        return [self.invoke() for _ in range(3)]

    @cached
    def invocation_with_platform_headers(self) -> HttpSample:
        return self.invoke(extra=PLATFORM_HEADERS)

    @cached
    def load_window(self) -> LoadWindow:
        """Pings and connects, each sampled in its own thread for a fixed window while
        four workers keep invocations in flight."""
        self.progress("timing /ping and connects while 4 invocations are in flight")
        window = LoadWindow(workers=4, window_s=LOAD_WINDOW_S)
        stop = threading.Event()

        def repeat(action: Callable[[], None], pause: float) -> Callable[[], None]:
            def loop() -> None:
                while not stop.is_set():
                    action()
                    stop.wait(pause)
            return loop

        host, port = self.target.host, self.target.port
        workers = [threading.Thread(target=repeat(lambda: window.invocations.append(self.invoke()), 0),
                                    daemon=True) for _ in range(window.workers)]
        samplers = [threading.Thread(target=repeat(lambda: window.pings.append(self.ping()), LOAD_PING_PAUSE_S), daemon=True),
                    threading.Thread(target=repeat(lambda: window.connects.append(
                        connect_time(host, port, timeout=CONNECT_TIMEOUT_S)), LOAD_CONNECT_PAUSE_S), daemon=True)]
        for thread in workers:
            thread.start()
        time.sleep(0.1)
        for thread in samplers:
            thread.start()
        time.sleep(window.window_s)
        stop.set()
        deadline = time.monotonic() + INVOKE_LIMIT_S + MEASURE_GRACE_S
        for thread in samplers + workers:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        return window

    def warm(self, selected: set) -> None:
        """Take the measurements the selected checks need, the independent ones at once:
        light traffic as the platform sends it (idle pings, connects one at a time, single
        invocations), never overlapping the 6 MiB body, the load window or the drills.
        The first invocation after the healthy ping goes first, alone (inference.ping.truth)."""
        wanted = [name for check_id, names in WARM_FOR.items() if check_id in selected
                  for name in names if self.payload is not None or name in IDLE_ONLY]
        if self.payload is not None and "inference.ping.truth" in selected:
            self.first_invocations()
        threads = [threading.Thread(target=getattr(self, name), daemon=True)
                   for name in dict.fromkeys(wanted)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + INVOKE_LIMIT_S + MEASURE_GRACE_S + 30
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    @cached
    def big_request(self) -> Optional[HttpSample]:
        body = grow_payload(self.payload, self.content_type, self.max_body)
        if body is None:
            return None
        self.progress(f"POST /invocations with a {len(body)} byte body")
        return self.invoke(body=body)

    @cached
    def bad_requests(self) -> list:
        cases = [
            ("malformed body", b"\x00\xffthis is not a valid payload\x01\x02{[", None),
            ("empty body", b"", None),
            ("wrong content type", self.payload or b"x", "application/x-conformance-unsupported"),
            (f"{self.max_body / 2 ** 20:g} MiB of junk", b"\xfe" * self.max_body, None),
        ]
        results = []
        for case, body, content_type in cases:
            self.progress(f"sending a bad request: {case}")
            sample = self.invoke(body=body, content_type=content_type)
            alive, after = self.still_healthy()
            results.append(BadRequest(case, sample, alive, after))
            if not alive:
                break
        return results

    def still_healthy(self, within_s: float = 5.0) -> tuple[bool, str]:
        """Is the server up after what was just sent? Running and /ping 200 within `within_s`."""
        last = [""]

        def step() -> Optional[tuple[bool, str]]:
            status, code = container_state(self.target.container)
            if status != "running":
                return False, f"the container exited (code {code})"
            sample = http_call(self.target.base_url, "GET", "/ping", read_timeout=PING_LIMIT_S)
            last[0] = sample.describe()
            return (True, "GET /ping -> 200") if sample.status == 200 else None

        waited = wait_for(step, within_s, 0.25)
        return waited.value or (False, f"still running, but /ping is unhealthy: {last[0]}")
