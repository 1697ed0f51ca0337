"""batch.concurrency: no first attempt refused while others are in flight.
Source: contract.md batch.concurrency (MaxConcurrentTransforms)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH, SOURCE
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="batch.concurrency", title="MaxConcurrentTransforms requests at once are served",
       severity=Severity.MUST, phase=Phase.LIVE, priority=40, modes=BATCH,
       source=SOURCE.format("batch.concurrency (MaxConcurrentTransforms)"),
       remediation="Serve as many requests at once as MaxConcurrentTransforms (workers or threads), "
                   "or answer /execution-parameters with what it can take.")
def concurrency(ctx: CheckContext) -> Outcome:
    job = ctx.probes.measure("batch_job")
    wanted = job.params["MaxConcurrentTransforms"]
    refused = [s for s in job.sent if s.in_flight > 1 and s.attempts and not s.attempts[0].ok]
    message = f"up to {job.max_in_flight} in flight (MaxConcurrentTransforms {wanted})"
    if refused:
        first = refused[0].attempts[0]
        return violation(f"{len(refused)} mini-batches failed on their first attempt while others were "
                         f"in flight: {first.describe()}; {message}", measured=len(refused), limit=0,
                         unit="refused")
    return passed(message, measured=job.max_in_flight, limit=wanted, unit="in flight")
