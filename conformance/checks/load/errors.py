"""load.errors: the share of /invocations that failed under load, and which errors."""
from __future__ import annotations

from collections import Counter

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, undecided, within


@check(id="load.errors", title="Error rate of /invocations under load within the limit",
       severity=Severity.MUST, phase=Phase.LOAD, option="load",
       source="the user's SLO (--max-error-rate, default 0.01); contract.md "
              "inference.invocations.errors (API-RT ModelError)",
       remediation="Read the errors below and the container log: fix timeouts, worker crashes "
                   "or resource limits that appear only under concurrency.", remote=True)
def errors(ctx: CheckContext) -> Outcome:
    stats = ctx.probes.measure("load")
    if not stats.invocations:
        return undecided("no invocation was sent during the load run")
    failures = stats.failures
    rate = len(failures) / len(stats.invocations)
    kinds = Counter(f[4] or f"HTTP {f[3]}" for f in failures).most_common(3)
    text = f"{len(failures)} of {len(stats.invocations)} failed ({rate:.2%})"
    if kinds:
        text += "; " + ", ".join(f"{kind} x{count}" for kind, count in kinds)
    return within(round(rate, 4), ctx.config.load.max_error_rate, "ratio", text,
                  {"failures": len(failures), "requests": len(stats.invocations)})
