"""inference.port / inference.bind: a server listens on port 8080 of all interfaces.
Where it does not, say what it listens on, from the container's own socket table."""
from __future__ import annotations

from typing import Optional

from .. import check
from ..context import CheckContext
from ...engine.launcher import SERVING_PORT
from ...engine.sockets import read_listeners
from ...model import Outcome, Phase, Severity, passed, skipped, undecided, violation


def _listeners(ctx: CheckContext) -> Optional[list]:
    if ctx.startup and ctx.startup.listeners is not None and not ctx.startup.healthy:
        return ctx.startup.listeners
    if ctx.container is None:
        return None
    return read_listeners(ctx.container)


def _not_judgeable(ctx: CheckContext) -> Optional[Outcome]:
    if ctx.startup is None or ctx.startup.state in ("exited", "start-failed"):
        return skipped("the container did not stay up; see inference.startup")
    return None


def _describe(listeners: list) -> str:
    return ", ".join(str(l) for l in listeners) if listeners else "nothing (no TCP listener)"


@check(id="inference.port", title="A server listens on port 8080",
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, priority=10,
       source="contract.md inference.port (AWS guide your-algorithms-inference-code: "
              "containers must listen on port 8080)",
       remediation="Make the web server listen on port 8080 (e.g. gunicorn --bind 0.0.0.0:8080).")
def port(ctx: CheckContext) -> Outcome:
    early = _not_judgeable(ctx)
    if early:
        return early
    listeners = _listeners(ctx)
    if ctx.startup.healthy:
        return passed(f"/ping answered on port {SERVING_PORT}; listening on {_describe(listeners or [])}",
                      measured=SERVING_PORT, limit=SERVING_PORT)
    if listeners is None:
        return undecided("could not read the container's socket table")
    if any(l.port == SERVING_PORT for l in listeners):
        return passed(f"listening on {_describe(listeners)}", measured=SERVING_PORT, limit=SERVING_PORT)
    ports = sorted({l.port for l in listeners})
    return violation(f"nothing listens on port {SERVING_PORT}; the container listens on "
                     f"{_describe(listeners)}", measured=",".join(map(str, ports)) or "none",
                     limit=SERVING_PORT)


@check(id="inference.bind", title="Port 8080 is bound on all interfaces",
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, priority=10,
       source="contract.md inference.bind (derived from HOST: the platform calls port 8080 "
              "from outside the container)",
       remediation="Bind to 0.0.0.0:8080, not 127.0.0.1:8080 or localhost:8080.")
def bind(ctx: CheckContext) -> Outcome:
    early = _not_judgeable(ctx)
    if early:
        return early
    if ctx.startup.healthy:
        return passed(f"reached from outside the container at {ctx.target.base_url}",
                      measured="0.0.0.0", limit="0.0.0.0")
    listeners = _listeners(ctx)
    if listeners is None:
        return undecided("could not read the container's socket table")
    on_port = [l for l in listeners if l.port == SERVING_PORT]
    if not on_port:
        return skipped(f"nothing listens on port {SERVING_PORT}; see inference.port")
    if any(l.all_interfaces for l in on_port):
        return passed(f"listening on {_describe(on_port)}", measured="0.0.0.0", limit="0.0.0.0")
    return violation(f"port {SERVING_PORT} is bound to {_describe(on_port)} only: unreachable "
                     f"from outside the container", measured=on_port[0].address, limit="0.0.0.0")
