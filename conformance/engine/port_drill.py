"""The bind-to-port drill (inference.bind-to-port): a second container of an image that
carries accept-bind-to-port=true, told SAGEMAKER_BIND_TO_PORT as an inference pipeline or a
multi-container endpoint tells it (contract.md pipeline.bind, pipeline.label), and watched
on that port and on 8080 until one of them shows where its server went. Removed at once."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

import docker

from .endpoint import Launched, second_container
from .http import http_call
from .readiness import container_state
from .session import RunSession
from .sockets import read_listeners
from .wait import wait_for
from ..config import RunConfig
from ..contract import BIND_TO_PORT_LABEL, PING_LIMIT_S, SERVING_PORT

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
    on_default_s: Optional[float] = None  # when /ping on 8080 first answered 200
    last: str = ""                       # the last answer on the given port
    listeners: Optional[list] = None
    start_error: str = ""
    exit_code: Optional[int] = None


def labelled_bind_to_port(image_config: dict) -> bool:
    """Does the image carry accept-bind-to-port=true (contract.md pipeline.label)?"""
    return (image_config.get("Labels") or {}).get(BIND_TO_PORT_LABEL) == "true"


def bind_to_port_drill(client: docker.DockerClient, config: RunConfig, session: RunSession,
                       launched: Launched, wait_s: float,
                       progress: Callable[[str], None] = lambda _: None) -> PortDrill:
    env = {"SAGEMAKER_BIND_TO_PORT": str(BIND_PORT_BASE), "SAGEMAKER_SAFE_PORT_RANGE": "%d-%d" % SAFE_PORT_RANGE}
    with second_container(client, config, session, launched, "bind-to-port", env=env) as second:
        if second.target is None:
            return PortDrill("start-failed" if second.start_error else "exited",
                             time.monotonic() - second.began, start_error=second.start_error)
        progress(f"bind-to-port drill: SAGEMAKER_BIND_TO_PORT={BIND_PORT_BASE}; watching /ping on "
                 f"{BIND_PORT_BASE} and {SERVING_PORT} for up to {wait_s:.0f} s")
        return _watch(second.container, second.target.host, second.began, wait_s)


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
