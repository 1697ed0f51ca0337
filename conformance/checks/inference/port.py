"""inference.port: a server listens on port 8080 (inference.bind, in bind.py, checks the interfaces).
Where it does not, say what it listens on, from the container's own socket table. That is
judged at the end of the platform's window, or earlier when the start is stuck (only other
ports, the container idle for --settle-time: engine/start_evidence.py)."""
from __future__ import annotations

from typing import Optional

from .. import check
from . import HOSTING
from ...engine.context import CheckContext

from ...engine.sockets import read_listeners
from ...model import Outcome, Phase, Severity, passed, skipped, undecided, violation
from ...contract import SERVING_PORT


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
       modes=HOSTING,
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
    if ctx.startup.stuck is not None and ctx.startup.stuck.kind == "port":
        return violation(f"nothing listens on port {SERVING_PORT}: {ctx.startup.stuck.summary}; "
                         f"{ctx.startup.stuck.verdict_note}", measured=",".join(map(str, ports)),
                         limit=SERVING_PORT, unit="port")
    if ctx.config.startup_cut_short:
        # Not conclusive: a server may bind 8080 only after its model loads.
        return undecided(f"nothing listened on port {SERVING_PORT} within the {ctx.config.startup_wait_s:g} s "
                         f"waited (listening on {_describe(listeners)}); the platform would wait "
                         f"{ctx.config.startup_window_s:g} s: could not judge")
    return violation(f"nothing listened on port {SERVING_PORT} within the platform's "
                     f"{ctx.config.startup_window_s:g} s window; the container listens on "
                     f"{_describe(listeners)}", measured=",".join(map(str, ports)) or "none",
                     limit=SERVING_PORT)
