"""inference.bind: port 8080 is bound on all interfaces, not only on loopback."""
from __future__ import annotations

from .. import check
from . import HOSTING
from ...engine.context import CheckContext

from ...model import Outcome, Phase, Severity, passed, skipped, undecided, violation
from .port import _describe, _listeners, _not_judgeable
from ...contract import SERVING_PORT


@check(id="inference.bind", title="Port 8080 is bound on all interfaces",
       modes=HOSTING,
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, priority=10,
       source="contract.md inference.bind (derived from HOST: the platform calls port 8080 "
              "from outside the container)",
       remediation="Bind to 0.0.0.0:8080, not 127.0.0.1:8080 or localhost:8080.")
def bind(ctx: CheckContext) -> Outcome:
    early = _not_judgeable(ctx)
    if early:
        return early
    listeners = _listeners(ctx)
    if ctx.startup.healthy:   # what the socket table shows on the port, else what was reached
        on_port = sorted({l.address for l in listeners or [] if l.port == SERVING_PORT})
        return passed(f"reached from outside the container at {ctx.target.base_url}"
                      + (f"; bound to {', '.join(on_port)}" if on_port else ""),
                      measured=",".join(on_port) or "reached from outside", limit="reachable from outside")
    if listeners is None:
        return undecided("could not read the container's socket table")
    on_port = [l for l in listeners if l.port == SERVING_PORT]
    if not on_port:
        return skipped(f"nothing listens on port {SERVING_PORT}; see inference.port")
    if any(l.all_interfaces for l in on_port):
        return passed(f"listening on {_describe(on_port)}", measured=",".join(sorted({l.address for l in on_port})),
                      limit="reachable from outside")
    return violation(f"port {SERVING_PORT} is bound to {_describe(on_port)} only: unreachable "
                     f"from outside the container", measured=on_port[0].address, limit="0.0.0.0")
