"""The bind-to-port drill (inference.bind-to-port): a second container of an image that
carries accept-bind-to-port=true, told SAGEMAKER_BIND_TO_PORT as an inference pipeline or a
multi-container endpoint tells it (contract.md pipeline.bind, pipeline.label), and watched
on that port and on 8080 until one of them shows where its server went. Removed at once."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

import docker

from . import launcher
from .endpoint import Launched
from .http import http_call
from .readiness import container_state
from .session import RunSession
from .sockets import read_listeners
from .wait import wait_for
from ..config import RunConfig
from ..contract import PING_LIMIT_S, SERVING_PORT

# Which ports the platform hands out is not documented (UNCONFIRMED): the tool gives 8081,
# 8082, ... so that a container that ignores the variable and keeps 8080 is seen.
BIND_PORT_BASE = 8081
# contract.md pipeline.safe-ports: AWS's own container tests use 9000-9999 (the value on a
# real endpoint is UNCONFIRMED; 23000-23999 was observed once).
SAFE_PORT_RANGE = (9000, 9999)
KEPT_CONFIRM_S = 5.0   # healthy on 8080 while its own port still gets no 200 this long after: it kept 8080
POLL_S = 0.25


@dataclass
class PortDrill:
    state: str                           # bound | kept-8080 | timeout | exited | start-failed
    elapsed_s: float = 0.0
    port: int = BIND_PORT_BASE
    on_default_s: Optional[float] = None  # when /ping on 8080 first answered 200
    last: str = ""                       # the last answer on the given port
    listeners: Optional[list] = None
    start_error: str = ""
    exit_code: Optional[int] = None


def bind_to_port_drill(client: docker.DockerClient, config: RunConfig, session: RunSession,
                       launched: Launched, wait_s: float,
                       progress: Callable[[str], None] = lambda _: None) -> PortDrill:
    env = {"SAGEMAKER_BIND_TO_PORT": str(BIND_PORT_BASE), "SAGEMAKER_SAFE_PORT_RANGE": "%d-%d" % SAFE_PORT_RANGE}
    container = launcher.create_serving_container(
        client, config, session, launched.network_name, launched.volumes, launched.limits,
        launched.connection, role="bind-to-port", env=env)
    try:
        began = time.monotonic()
        error = launcher.start(container)
        found = None if error else launcher.locate(container, launched.network_name, launched.connection)
        if found is None:
            return PortDrill("start-failed" if error else "exited", time.monotonic() - began,
                             start_error=error or "")
        progress(f"bind-to-port drill: SAGEMAKER_BIND_TO_PORT={BIND_PORT_BASE}; watching /ping on "
                 f"{BIND_PORT_BASE} and {SERVING_PORT} for up to {wait_s:.0f} s")
        return _watch(container, found.host, began, wait_s)
    finally:
        container.remove(v=True, force=True)


def _watch(container, host: str, began: float, wait_s: float) -> PortDrill:
    drill = PortDrill("timeout")

    def step() -> Optional[str]:
        status, code = container_state(container)
        if status in ("exited", "dead", "removed"):
            drill.exit_code = code
            return "exited"
        own = http_call(f"http://{host}:{BIND_PORT_BASE}", "GET", "/ping", read_timeout=PING_LIMIT_S)
        drill.last = own.describe()
        if own.status == 200:
            return "bound"
        now = time.monotonic() - began
        if drill.on_default_s is None:
            default = http_call(f"http://{host}:{SERVING_PORT}", "GET", "/ping", read_timeout=PING_LIMIT_S)
            drill.on_default_s = now if default.status == 200 else None
        elif now - drill.on_default_s >= KEPT_CONFIRM_S:
            return "kept-8080"
        return None

    ended = wait_for(step, wait_s, POLL_S, started=began, what=f"healthy /ping on {BIND_PORT_BASE}")
    drill.state, drill.elapsed_s = ended.value or "timeout", time.monotonic() - began
    if drill.state != "exited":
        drill.listeners = read_listeners(container)
    return drill
