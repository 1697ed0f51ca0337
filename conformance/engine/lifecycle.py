"""The stop drill shared by both modes: SIGTERM, then wait up to the grace period."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

from docker.models.containers import Container

from .readiness import container_state


@dataclass(frozen=True)
class StopDrill:
    grace_s: float
    exited_after_s: Optional[float]   # None: still running when the grace ran out
    exit_code: Optional[int] = None
    pid1: str = ""
    skipped: str = ""                 # why no drill could be run


def drill_container(container: Optional[Container], grace_s: float) -> StopDrill:
    if container is None or container_state(container)[0] != "running":
        return StopDrill(grace_s, None, skipped="the container was not running")
    pid1 = " ".join([container.attrs.get("Path", "")] + list(container.attrs.get("Args") or [])).strip()
    container.kill(signal="SIGTERM")
    sent = time.monotonic()
    while time.monotonic() - sent < grace_s:
        status, code = container_state(container)
        if status != "running":
            return StopDrill(grace_s, time.monotonic() - sent, code, pid1)
        time.sleep(0.05)
    return StopDrill(grace_s, None, None, pid1)
