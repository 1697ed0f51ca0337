"""lifecycle.sigterm: SIGTERM ends the server within the grace period.
Source: contract.md lifecycle.sigterm.hosting (HOST: SIGTERM, then SIGKILL 30 s later)."""
from __future__ import annotations

import time

from .. import check
from ..context import CheckContext
from ...engine.readiness import container_state
from ...model import Outcome, Phase, Severity, skipped, violation, within


@check(id="lifecycle.sigterm", title="SIGTERM stops the server within the grace period",
       severity=Severity.SHOULD, phase=Phase.SHUTDOWN, needs_healthy=False,
       source="contract.md lifecycle.sigterm.hosting (AWS guide your-algorithms-inference-code: "
              "SIGTERM, then SIGKILL after 30 s)",
       remediation="Use an exec-form ENTRYPOINT (or `exec` in your start script) and handle "
                   "SIGTERM: a PID 1 with no handler ignores SIGTERM inside a container.")
def sigterm(ctx: CheckContext) -> Outcome:
    if ctx.container is None or container_state(ctx.container)[0] != "running":
        return skipped("the container was not running")
    grace = ctx.config.stop_timeout_s
    pid1 = " ".join([ctx.container.attrs.get("Path", "")] + list(ctx.container.attrs.get("Args") or []))
    ctx.container.kill(signal="SIGTERM")
    sent = time.monotonic()
    while time.monotonic() - sent < grace:
        status, code = container_state(ctx.container)
        if status != "running":
            took = time.monotonic() - sent
            return within(round(took, 3), grace, "s",
                          f"exited with code {code} {took:.2f} s after SIGTERM (grace {grace:g} s)")
        time.sleep(0.05)
    return violation(f"still running {grace:g} s after SIGTERM; PID 1 is `{pid1.strip()}`; the "
                     f"platform would SIGKILL it", measured=f">{grace:g}", limit=grace, unit="s")
