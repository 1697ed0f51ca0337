"""batch.strategy: multi-record mini-batches are answered 2xx.
Source: contract.md batch.split (API-SM BatchStrategy)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="batch.strategy", title="Multi-record mini-batches are answered 2xx", severity=Severity.MUST,
       phase=Phase.LIVE, priority=50, modes=BATCH,
       source="contract.md batch.split (API-SM BatchStrategy: MultiRecord packs records up to MaxPayloadInMB)",
       remediation="Parse every record of a request (one per line for CSV and JSON Lines), or "
                   "answer /execution-parameters with BatchStrategy SINGLE_RECORD.")
def strategy(ctx: CheckContext) -> Outcome:
    job = ctx.probes.measure("batch_job")
    strategy_used = job.params["BatchStrategy"]
    multi = [s for s in job.sent if s.batch.records > 1]
    failed = [s for s in multi if not s.ok]
    most = max((s.batch.records for s in job.sent), default=0)
    if failed:
        first = failed[0]
        head = first.attempts[-1].body_head[:120].decode(errors="replace").strip()
        return violation(f"{len(failed)} of {len(multi)} multi-record mini-batches failed; the first "
                         f"({first.batch.records} records of {first.batch.file}): "
                         f"{first.attempts[-1].describe()} {head!r}", measured=len(failed), limit=0,
                         unit="failed")
    return passed(f"{strategy_used}: {len(job.sent)} mini-batches, up to {most} records each, "
                  f"{len(multi)} with several records, all answered", measured=most, unit="records")
