"""pipeline.serial: the payload through the containers in order, hop by hop (headers between
steps UNCONFIRMED: the previous response's Content-Type is sent). Source: contract.md pipeline.serial-flow."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import PIPELINE
from .hops import hop, post
from ...model import Outcome, Phase, Severity, passed, violation


@check(needs=("payload",), id="pipeline.serial", title="The payload flows container to container", severity=Severity.MUST,
       phase=Phase.LIVE, priority=10, modes=PIPELINE, option="pipeline_serial",
       source="contract.md pipeline.serial-flow (PIPE; headers between steps UNCONFIRMED)",
       remediation="Make each container's response a valid request for the next one, with the "
                   "Content-Type the next one accepts.")
def serial(ctx: CheckContext) -> Outcome:
    body, content_type, hops = ctx.config.payload.read_bytes(), ctx.config.content_type, []
    for member in ctx.pipeline.members:
        sample = post(member, body, content_type, ctx)
        hops.append(hop(member, sample))
        if not sample.ok:
            return violation(f"hop {member.index} ({member.hostname}, {member.image}) answered "
                             f"{sample.status or sample.error} to {len(body)} bytes of {content_type}: "
                             f"{sample.body_head[:120]!r}", measured=member.index, limit="every hop 2xx",
                             details={"hops": hops})
        body = sample.body_head
        content_type = sample.headers.get("Content-Type", content_type)
    summary = " -> ".join(f"{h['container']} {h['status']} {h['latency_s'] * 1000:.0f} ms "
                          f"{h['response_bytes']} B" for h in hops)
    return passed(f"serial: {summary}", measured=len(hops), unit="hops", details={"hops": hops})
