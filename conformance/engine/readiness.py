"""The bounded wait for the first healthy ping. It ends early only on conclusive
evidence: the container exited, port 8080 is bound to loopback only (nothing from
outside can ever reach it), or the start is stuck: the same wrong /ping answer, or other
ports than the platform's, with the container idle for the settle time
(start_evidence.py). Anything still moving (nothing on 8080 yet, a metrics exporter
first, a model loading) is waited for up to the platform's window (or the shorter
--startup-timeout), saying in the progress line what it sees."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from docker.errors import NotFound
from docker.models.containers import Container

from .http import HttpSample, http_call
from .launcher import Target
from .sockets import Listener, read_listeners
from .start_evidence import StartWatch, StuckEvidence
from .wait import wait_for
from ..contract import PING_LIMIT_S, SERVING_PORT

POLL_S = 0.02
ANSWERED_POLL_S = 0.25   # a server answering something else than 200 is asked less often
TABLE_EVERY_S = 0.5
ELSEWHERE_CONFIRM_S = 3.0
JOIN_MARGIN_S = 15.0     # past its own bound, a background wait may still be in a 2 s ping or a socket read


@dataclass
class StartupResult:
    state: str                      # healthy | exited | start-failed | elsewhere | stuck | timeout
    elapsed_s: float                # from `docker start` to the outcome
    exit_code: Optional[int] = None
    start_error: str = ""
    attempts: list = field(default_factory=list)   # HttpSample of every /ping tried
    listeners: Optional[list] = None              # last socket table read
    stuck: Optional[StuckEvidence] = None         # why the wait ended early (state "stuck")

    @property
    def healthy(self) -> bool:
        return self.state == "healthy"

    @property
    def waited_out(self) -> bool:
        """The wait ended with the server up but never healthy: the window ran out, or stuck."""
        return self.state in ("timeout", "stuck")

    @property
    def stuck_note(self) -> str:
        """"; <why the tool stopped waiting>" for a stuck start, else ""."""
        return f"; {self.stuck.verdict_note}" if self.stuck else ""

    @property
    def answered(self) -> list:
        return [a for a in self.attempts if a.status is not None]


def container_state(container: Optional[Container]) -> tuple[str, Optional[int]]:
    """("running", None) for a --target the tool did not start: only HTTP can tell."""
    if container is None:
        return "running", None
    try:
        container.reload()
    except NotFound:
        return "removed", None
    state = container.attrs.get("State", {})
    return state.get("Status", "unknown"), state.get("ExitCode")


def wait_healthy(target: Target, started: float, timeout_s: float,
                 progress: Callable[[str], None] = lambda _: None, settle_s: float = 0.0,
                 port: int = SERVING_PORT) -> StartupResult:
    """`port`: where the platform calls the container (8080, or a pipeline container's
    SAGEMAKER_BIND_TO_PORT); `settle_s` > 0 lets a stuck start end the wait."""
    container = target.container
    result = StartupResult("timeout", 0.0)
    watch = StartWatch(container, port, settle_s) if settle_s > 0 else None
    loopback_since: Optional[float] = None
    next_table = started
    shown = -1

    def step() -> Optional[str]:
        """One look: the state that ends the wait, or None to look again."""
        nonlocal loopback_since, next_table, shown
        status, code = container_state(container)
        if status in ("exited", "dead", "removed"):
            result.exit_code = code
            return "exited"
        sample = http_call(target.base_url, "GET", "/ping", read_timeout=PING_LIMIT_S)
        result.attempts.append(sample)
        if sample.status == 200:
            return "healthy"
        now = time.monotonic()
        if watch is not None:
            watch.saw(now, sample)
        if now >= next_table:
            next_table = now + TABLE_EVERY_S
            result.listeners = read_listeners(container) if container is not None else None
            loopback = loopback_only(result.listeners, port)
            loopback_since = (loopback_since or now) if loopback else None
            if loopback and now - loopback_since >= ELSEWHERE_CONFIRM_S:
                return "elsewhere"
        if watch is not None and watch.due(now):
            result.stuck = watch.look(now, result.listeners)
            if result.stuck is not None:
                return "stuck"
        waited = int(time.monotonic() - started)
        if waited > shown and time.monotonic() - started < timeout_s:
            shown = waited
            progress(f"waiting for the first healthy /ping ({waited} s of {timeout_s:g} s): "
                     f"{_seen(sample, result.listeners, watch)}")
        return None

    def pause() -> float:   # faster once something answers: the 200 is near
        answered = result.attempts and result.attempts[-1].status is not None
        return ANSWERED_POLL_S if answered else POLL_S

    ended = wait_for(step, timeout_s, pause, started=started, what="healthy /ping")
    result.state = ended.value or "timeout"
    result.elapsed_s = time.monotonic() - started
    return result


def loopback_only(listeners: Optional[list[Listener]], port: int = SERVING_PORT) -> bool:
    """The port is bound, but only to loopback addresses: conclusive, since the platform
    calls it from outside the container (contract.md inference.bind)."""
    on_port = [l for l in listeners or [] if l.port == port]
    return bool(on_port) and all(l.loopback for l in on_port)


def _seen(sample: HttpSample, listeners: Optional[list[Listener]], watch: Optional[StartWatch]) -> str:
    if listeners is None:
        where = "socket table unreadable"
    elif not listeners:
        where = "nothing listens yet"
    else:
        where = "listening on " + ", ".join(str(l) for l in listeners)
    text = f"last /ping: {sample.status or sample.error}; {where}"
    if watch is not None and watch.moving:
        text += f"; unchanged for {time.monotonic() - watch.since:.0f} s of {watch.settle_s:g} (last change: {watch.moving})"
    return text


def wait_in_background(wait: Callable[[], StartupResult], name: str) -> Callable[[float], StartupResult]:
    """Start a bounded wait for one container in a thread of its own and return its join.
    The platform health-checks the containers of one endpoint side by side, so each one's
    time to healthy is its own, never the sum of the waits before it. join(bound_s) gives
    the result, re-raises the wait's error, or says "timeout" if the wait outlived the bound."""
    box: dict = {}
    began = time.monotonic()

    def work() -> None:
        try:
            box["result"] = wait()
        except BaseException as exc:   # handed to the thread that joins
            box["error"] = exc

    thread = threading.Thread(target=work, name=f"smc-wait-{name}", daemon=True)
    thread.start()

    def join(bound_s: float) -> StartupResult:
        thread.join(max(0.0, began + bound_s + JOIN_MARGIN_S - time.monotonic()))
        if "error" in box:
            raise box["error"]
        return box.get("result") or StartupResult("timeout", time.monotonic() - began)
    return join


def labelled(progress: Callable[[str], None], label: str) -> Callable[[str], None]:
    """Progress lines of one container among several, prefixed with its name."""
    return lambda text: progress(f"{label}: {text}")
