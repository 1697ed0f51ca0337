"""The bounded wait for the first healthy ping. It returns at once when the container
exits, and after a few seconds when the server plainly listens somewhere other than
0.0.0.0:8080; otherwise it waits until --startup-timeout."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from docker.errors import NotFound
from docker.models.containers import Container

from .http import PING_TIMEOUT_S, HttpSample, http_call
from .launcher import SERVING_PORT, Target
from .sockets import Listener, read_listeners

POLL_S = 0.05
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
    elsewhere_answer: Optional[HttpSample] = None

    @property
    def healthy(self) -> bool:
        return self.state == "healthy"

    @property
    def answered(self) -> list:
        return [a for a in self.attempts if a.status is not None]


def container_state(container: Container) -> tuple[str, Optional[int]]:
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
    elsewhere_since: Optional[float] = None
    next_table = started
    shown = 0
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
            result.listeners = read_listeners(container)
            wrong = _plainly_elsewhere(target, result)
            elsewhere_since = (elsewhere_since or now) if wrong else None
            if wrong and now - elsewhere_since >= ELSEWHERE_CONFIRM_S:
                result.state = "elsewhere"
                break
        if time.monotonic() - started >= timeout_s:
            break
        waited = int(time.monotonic() - started)
        if waited > shown:
            shown = waited
            progress(f"waiting for the first healthy /ping ({waited} s of {timeout_s:g} s)")
        time.sleep(POLL_S)
    result.elapsed_s = time.monotonic() - started
    return result


def _plainly_elsewhere(target: Target, result: StartupResult) -> bool:
    """No 0.0.0.0:8080 listener, and either 8080 on loopback only or another port of all
    interfaces that answers GET /ping with 200."""
    listeners: Optional[list[Listener]] = result.listeners
    if not listeners or not target.exact_accept:
        return False
    if any(l.port == SERVING_PORT and l.all_interfaces for l in listeners):
        return False
    if any(l.port == SERVING_PORT for l in listeners):
        return True
    for listener in listeners:
        if listener.all_interfaces:
            answer = http_call(f"http://{target.host}:{listener.port}", "GET", "/ping",
                               read_timeout=PING_TIMEOUT_S)
            if answer.status == 200:
                result.elsewhere_answer = answer
                return True
    return False
