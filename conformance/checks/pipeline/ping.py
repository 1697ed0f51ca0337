"""pipeline.ping: every container answers /ping on its port.
Source: contract.md pipeline.ping (PIPE troubleshooting)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import PIPELINE
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="pipeline.ping", title="Every container passes /ping", severity=Severity.MUST,
       phase=Phase.STARTUP, priority=61, needs_healthy=False, modes=PIPELINE,
       source="contract.md pipeline.ping (PIPE troubleshooting: the error lists the containers that failed)",
       remediation="Make every container answer GET /ping with 200 on its own port.")
def ping(ctx: CheckContext) -> Outcome:
    failed = [m for m in ctx.pipeline.members if m.startup is None or not m.startup.healthy]
    if failed:
        names = "; ".join(f"{m.hostname} ({m.image}): {_state(m.startup)}" for m in failed)
        return violation(f"{len(failed)} of {len(ctx.pipeline.members)} containers did not pass /ping: {names}",
                         measured=len(failed), limit=0, unit="containers")
    times = ", ".join(f"{m.hostname} {m.startup.elapsed_s:.2f} s" for m in ctx.pipeline.members)
    return passed(f"every container answered 200 ({times})", measured=len(ctx.pipeline.members), unit="containers")


def _state(startup) -> str:
    if startup is None:
        return "not started"
    return f"stuck ({startup.stuck.summary})" if startup.stuck else startup.state
