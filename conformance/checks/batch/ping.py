"""batch.ping: /ping answers 200 before the transform job sends anything.
Source: contract.md batch.ping (BATCH)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH, SOURCE
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="batch.ping", title="/ping answers 200 before the first request", severity=Severity.MUST,
       phase=Phase.STARTUP, priority=60, needs_healthy=False, modes=BATCH, source=SOURCE.format("batch.ping"),
       remediation="Answer GET /ping with 200 once the model is loaded; the job sends nothing before.")
def ping(ctx: CheckContext) -> Outcome:
    startup = ctx.startup
    if startup is None or not startup.healthy:
        state = startup.state if startup else "not started"
        return violation(f"no 200 from /ping ({state}): the transform job never sends a record",
                         measured=state, limit="200")
    return passed(f"/ping answered 200 after {startup.elapsed_s:.2f} s", measured=round(startup.elapsed_s, 3),
                  limit="200 before /invocations", unit="s")
