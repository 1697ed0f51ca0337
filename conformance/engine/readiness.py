"""The bounded wait for the first healthy ping. It ends early only on conclusive
evidence: the container exited, or port 8080 is bound to loopback only (nothing from
outside can ever reach it). Anything else (nothing on 8080 yet, another port answering,
say a metrics exporter) may still become healthy, so it waits the platform's window
(or the shorter --startup-timeout), saying in the progress line what it sees."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from docker.errors import NotFound
from docker.models.containers import Container

from .http import PING_TIMEOUT_S, HttpSample, http_call
from .launcher import SERVING_PORT, Target
from .sockets import Listener, read_listeners

POLL_S = 0.02
TABLE_EVERY_S = 0.5
ELSEWHERE_CONFIRM_S = 3.0


@dataclass
class StartupResult:
    state: str                      # healthy | exited | start-failed | elsewhere | timeout
    elapsed_s: float                # from `docker start` to the outcome
    exit_code: Optional[int] = None
    start_error: str = ""
    attempts: list = field(default_factory=list)   # HttpSample of every /ping tried
    listeners: Optional[list] = None              # last socket table read

    @property
    def healthy(self) -> bool:
        return self.state == "healthy"

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
                 progress: Callable[[str], None] = lambda _: None) -> StartupResult:
    container = target.container
    result = StartupResult("timeout", 0.0)
    loopback_since: Optional[float] = None
    next_table = started
    shown = -1
    while True:
        now = time.monotonic()
        status, code = container_state(container)
        if status in ("exited", "dead", "removed"):
            result.state, result.exit_code = "exited", code
            break
        sample = http_call(target.base_url, "GET", "/ping", read_timeout=PING_TIMEOUT_S)
        result.attempts.append(sample)
        if sample.status == 200:
            result.state = "healthy"
            break
        if now >= next_table:
            next_table = now + TABLE_EVERY_S
            result.listeners = read_listeners(container) if container is not None else None
            loopback = loopback_only(result.listeners)
            loopback_since = (loopback_since or now) if loopback else None
            if loopback and now - loopback_since >= ELSEWHERE_CONFIRM_S:
                result.state = "elsewhere"
                break
        if time.monotonic() - started >= timeout_s:
            break
        waited = int(time.monotonic() - started)
        if waited > shown:
            shown = waited
            progress(f"waiting for the first healthy /ping ({waited} s of {timeout_s:g} s): "
                     f"{_seen(sample, result.listeners)}")
        time.sleep(POLL_S)
    result.elapsed_s = time.monotonic() - started
    return result


def loopback_only(listeners: Optional[list[Listener]]) -> bool:
    """Port 8080 is bound, but only to loopback addresses: conclusive, since the platform
    calls 8080 from outside the container (contract.md inference.bind)."""
    on_port = [l for l in listeners or [] if l.port == SERVING_PORT]
    return bool(on_port) and all(l.loopback for l in on_port)


def _seen(sample: HttpSample, listeners: Optional[list[Listener]]) -> str:
    if listeners is None:
        where = "socket table unreadable"
    elif not listeners:
        where = "nothing listens yet"
    else:
        where = "listening on " + ", ".join(str(l) for l in listeners)
    return f"last /ping: {sample.status or sample.error}; {where}"
