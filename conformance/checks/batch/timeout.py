"""batch.timeout: every attempt is answered within InvocationsTimeoutInSeconds.
Source: contract.md batch.timeout (API-SM ModelClientConfig)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH, SOURCE
from ...model import Outcome, Phase, Severity, violation, within


@check(id="batch.timeout", title="Each mini-batch is answered within the invocation timeout",
       severity=Severity.MUST, phase=Phase.LIVE, priority=30, modes=BATCH,
       source=SOURCE.format("batch.timeout (InvocationsTimeoutInSeconds 1-3600, default 600; 3 retries)"),
       remediation="Answer each mini-batch within the timeout: lower MaxPayloadInMB, or raise "
                   "InvocationsTimeoutInSeconds (--invocations-timeout).")
def timeout(ctx: CheckContext) -> Outcome:
    job, limit = ctx.probes.measure("batch_job"), ctx.config.mode_settings.timeout_s
    attempts = [a for s in job.sent for a in s.attempts]
    late = [a for a in attempts if a.error.startswith("no answer within")]
    slowest = max(a.elapsed_s for a in attempts)
    if late:
        return violation(f"{len(late)} of {len(attempts)} attempts got no answer within {limit:g} s "
                         f"(retries included)", measured=round(slowest, 3), limit=limit, unit="s")
    return within(round(slowest, 3), limit, "s", f"slowest mini-batch {slowest:.3f} s of {len(attempts)} "
                  f"attempts (limit {limit:g} s)")
