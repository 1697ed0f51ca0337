"""The stop drill shared by both modes: SIGTERM, wait up to the grace period, SIGKILL at
the grace (as the platform does), with PID 1's SIGTERM disposition as evidence of
whether the signal was handled at all."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import requests
from docker.errors import APIError
from docker.models.containers import Container

from .readiness import container_state
from .sockets import sigterm_disposition

KILL_WAIT_S = 10.0   # bound on the wait for the engine to reap a SIGKILLed container


@dataclass(frozen=True)
class StopDrill:
    grace_s: float
    exited_after_s: Optional[float]   # None: still running when the grace ran out
    exit_code: Optional[int] = None
    pid1: str = ""
    skipped: str = ""                 # why no drill could be run
    killed_at_s: Optional[float] = None   # SIGKILL sent this long after SIGTERM
    disposition: str = ""             # PID 1 and SIGTERM: caught | ignored | default | unknown
    was_running: bool = True          # the process was busy, not about to end by itself


def drill_container(container: Optional[Container], grace_s: float) -> StopDrill:
    """A server runs until told to stop, so an exit after SIGTERM is the signal's doing."""
    if container is None or container_state(container)[0] != "running":
        return StopDrill(grace_s, None, skipped="the container was not running")
    pid1 = " ".join([container.attrs.get("Path", "")] + list(container.attrs.get("Args") or [])).strip()
    disposition = sigterm_disposition(container)
    container.kill(signal="SIGTERM")
    sent = time.monotonic()
    code = _wait_exit(container, grace_s)
    if code is not None:
        return StopDrill(grace_s, time.monotonic() - sent, code, pid1, disposition=disposition)
    killed_at = time.monotonic() - sent
    try:
        container.kill(signal="SIGKILL")
    except APIError:
        pass
    _wait_exit(container, KILL_WAIT_S)
    return StopDrill(grace_s, None, None, pid1, killed_at_s=killed_at, disposition=disposition)


def _wait_exit(container: Container, timeout_s: float) -> Optional[int]:
    """The exit code, or None if still running after timeout_s (the engine's own wait)."""
    try:
        return int(container.wait(timeout=max(timeout_s, 0.01)).get("StatusCode", -1))
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        return None
    except APIError:
        status, code = container_state(container)
        return code if status != "running" else None
