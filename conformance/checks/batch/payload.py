"""batch.payload: mini-batches up to MaxPayloadInMB (or whole files, chunked) are taken.
Source: contract.md batch.payload (API-SM MaxPayloadInMB)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH, SOURCE
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="batch.payload", title="Mini-batches up to MaxPayloadInMB are taken", severity=Severity.MUST,
       phase=Phase.LIVE, priority=20, modes=BATCH, source=SOURCE.format("batch.payload"),
       remediation="Accept request bodies up to MaxPayloadInMB (nginx client_max_body_size, "
                   "TS_MAX_REQUEST_SIZE) and chunked bodies when MaxPayloadInMB is 0.")
def payload(ctx: CheckContext) -> Outcome:
    job = ctx.probes.measure("batch_job")
    largest = max((s.batch for s in job.sent), key=lambda b: len(b.body))
    limit = job.params["MaxPayloadInMB"]
    refused = [s for s in job.sent if any(a.status == 413 or a.error.startswith(
        ("connection closed", "connection reset", "connection aborted")) for a in s.attempts)]
    how = "chunked, each file whole" if limit == 0 else f"up to {limit} MB"
    if refused:
        first = refused[0]
        return violation(f"a {len(first.batch.body)} byte mini-batch of {first.batch.file} was refused: "
                         f"{first.attempts[-1].describe()} ({how})", measured=len(first.batch.body),
                         limit=how, unit="bytes")
    return passed(f"{len(job.sent)} mini-batches taken ({how}); the largest {len(largest.body)} bytes",
                  measured=len(largest.body), limit=how, unit="bytes")
