"""load.latency: /invocations latency under load (p50/p90/p99/max) against the user's SLO
(--p99-ms), or the platform's 60 s invocation limit when none is given."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext

from ...model import Outcome, Phase, Severity, undecided, within
from ...contract import INVOKE_LIMIT_S


@check(id="load.latency", title="p99 latency of /invocations under load within the SLO",
       severity=Severity.MUST, phase=Phase.LOAD, option="load",
       source="the user's SLO (--p99-ms); otherwise contract.md inference.invocations.latency "
              "(60 s, API-RT InvokeEndpoint)",
       remediation="Add workers or threads, batch work, or pick a larger instance type until the "
                   "p99 holds at this concurrency.", remote=True)
def latency(ctx: CheckContext) -> Outcome:
    stats = ctx.probes.measure("load")
    if not [s for s in stats.invocations if not s[4]]:
        return undecided("no invocation completed under load; see load.errors")
    limit = ctx.config.load.p99_ms or INVOKE_LIMIT_S * 1000
    p = {q: round(stats.latency_ms(q), 1) for q in (50, 90, 99, 100)}
    details = {"p50_ms": p[50], "p90_ms": p[90], "p99_ms": p[99], "max_ms": p[100],
               "users": stats.settings.users}
    return within(p[99], limit, "ms", f"p50 {p[50]} ms, p90 {p[90]} ms, p99 {p[99]} ms, max "
                  f"{p[100]} ms with {stats.settings.users} users (limit p99 {limit:g} ms)", details)
