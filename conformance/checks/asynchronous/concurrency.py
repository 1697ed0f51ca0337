"""async.concurrency: MaxConcurrentInvocationsPerInstance invocations at once, /ping healthy.
Source: contract.md async.concurrency (API-SM AsyncInferenceClientConfig)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import ASYNC

from ...model import Outcome, Phase, Severity, passed, undecided, violation
from ...contract import PING_LIMIT_S


@check(needs=("payload",), id="async.concurrency", title="MaxConcurrentInvocationsPerInstance requests at once",
       severity=Severity.MUST, phase=Phase.LOAD, priority=10, modes=ASYNC,
       source="contract.md async.concurrency (API-SM AsyncInferenceClientConfig "
              "MaxConcurrentInvocationsPerInstance 1-1000)",
       remediation="Run enough workers or threads for the concurrency you configure, or lower "
                   "MaxConcurrentInvocationsPerInstance; never answer 5xx for a busy server.")
def concurrency(ctx: CheckContext) -> Outcome:
    run = ctx.probes.measure("async_concurrency")
    failed = [s for s in run.invocations if not s.ok]
    slow_pings = [p for p in run.pings if p.status != 200 or p.elapsed_s > PING_LIMIT_S]
    summary = (f"{len(run.invocations) - len(failed)}/{len(run.invocations)} invocations 2xx with "
               f"{run.concurrency} at once; {len(run.pings) - len(slow_pings)}/{len(run.pings)} pings healthy")
    if not run.invocations:
        return undecided("no invocation completed")
    if failed:
        return violation(f"{summary}; first failure: {failed[0].describe()}", measured=len(failed),
                         limit=0, unit="failed")
    if slow_pings:
        return violation(f"{summary}; {slow_pings[0].describe()}", measured=len(slow_pings), limit=0,
                         unit="unhealthy pings")
    return passed(summary, measured=run.concurrency, limit=run.concurrency, unit="at once")
