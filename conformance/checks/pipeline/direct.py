"""pipeline.direct: each container invoked alone, named by X-Amzn-SageMaker-Target-Container-Hostname.
Source: contract.md pipeline.direct (MCE, API-RT)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import PIPELINE
from .hops import TARGET_HEADER, hop, post
from ...model import Outcome, Phase, Severity, passed, violation


@check(needs=("payload",), id="pipeline.direct", title="Each container answers when invoked alone", severity=Severity.MUST,
       phase=Phase.LIVE, priority=11, modes=PIPELINE, option="pipeline_direct",
       source="contract.md pipeline.direct (MCE; API-RT X-Amzn-SageMaker-Target-Container-Hostname)",
       remediation="Make every container of a direct endpoint answer the client's request on its own.")
def direct(ctx: CheckContext) -> Outcome:
    body, hops = ctx.config.payload.read_bytes(), []
    for member in ctx.pipeline.members:
        sample = post(member, body, ctx.config.content_type, ctx, {TARGET_HEADER: member.hostname})
        hops.append(hop(member, sample))
    failed = [h for h in hops if not (h["status"] and 200 <= h["status"] < 300)]
    if failed:
        names = "; ".join(f"{h['container']}: {h['status'] or h['error']}" for h in failed)
        return violation(f"{len(failed)} of {len(hops)} containers failed when invoked directly: {names}",
                         measured=len(failed), limit=0, unit="containers", details={"hops": hops})
    summary = ", ".join(f"{h['container']} {h['status']} {h['latency_s'] * 1000:.0f} ms" for h in hops)
    return passed(f"direct ({TARGET_HEADER}): {summary}", measured=len(hops), unit="containers",
                  details={"hops": hops})
