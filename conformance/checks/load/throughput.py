"""load.throughput: sustained successful invocations per second; against --min-rps when
given, else the server must complete invocations at all under load."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="load.throughput", title="Sustained throughput of /invocations",
       severity=Severity.MUST, phase=Phase.LOAD, option="load",
       source="the user's SLO (--min-rps); without one, any successful invocation under load (API-RT InvokeEndpoint)",
       remediation="Profile the handler under load; add workers or a larger instance type.", remote=True)
def throughput(ctx: CheckContext) -> Outcome:
    stats = ctx.probes.measure("load")
    ok = len(stats.invocations) - len(stats.failures)
    rps = round(ok / stats.elapsed_s, 2) if stats.elapsed_s else 0.0
    minimum = ctx.config.load.min_rps
    text = f"{rps:.1f} successful requests/s ({ok} in {stats.elapsed_s:.1f} s)"
    if ok == 0:
        return violation("no invocation succeeded under load", measured=0.0, limit=minimum, unit="req/s")
    if minimum is not None and rps < minimum:
        return violation(f"{text}, below the minimum {minimum:g}", measured=rps, limit=minimum,
                         unit="req/s")
    return passed(text, measured=rps, limit=minimum, unit="req/s")
