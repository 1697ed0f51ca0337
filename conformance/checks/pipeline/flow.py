"""pipeline.serial and pipeline.direct: the payload through the pipeline. Sources:
contract.md pipeline.serial-flow (each response body is POSTed to the next container;
the headers between steps are UNCONFIRMED: the tool sends the previous response's
Content-Type and the run's Accept) and pipeline.direct (MCE, API-RT
X-Amzn-SageMaker-Target-Container-Hostname)."""
from __future__ import annotations

from typing import Optional

from .. import check
from ..context import CheckContext
from ...engine.http import HttpSample, http_call
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation

PIPELINE = (Mode.PIPELINE,)
TARGET_HEADER = "X-Amzn-SageMaker-Target-Container-Hostname"


def _post(member, body: bytes, content_type: str, ctx: CheckContext, extra: Optional[dict] = None) -> HttpSample:
    """POST to one container; the sample keeps the whole response (the next hop's body)."""
    return http_call(member.target.base_url, "POST", "/invocations", body=body,
                     read_timeout=ctx.config.invocation_limit_s, keep_bytes=ctx.config.max_body_bytes,
                     headers={"Content-Type": content_type, "Accept": ctx.config.accept, **(extra or {})})


def _hop(member, sample: HttpSample) -> dict:
    return {"container": member.hostname, "image": member.image, "status": sample.status,
            "error": sample.error or None, "latency_s": round(sample.elapsed_s, 4),
            "request_bytes": sample.request_bytes, "response_bytes": sample.body_bytes,
            "content_type": sample.headers.get("Content-Type")}


@check(id="pipeline.serial", title="The payload flows container to container", severity=Severity.MUST,
       phase=Phase.LIVE, priority=10, modes=PIPELINE, option="pipeline_serial",
       source="contract.md pipeline.serial-flow (PIPE; headers between steps UNCONFIRMED)",
       remediation="Make each container's response a valid request for the next one, with the "
                   "Content-Type the next one accepts.")
def serial(ctx: CheckContext) -> Outcome:
    if not ctx.has_payload:
        return skipped("no --payload given")
    body, content_type, hops = ctx.config.payload.read_bytes(), ctx.config.content_type, []
    for member in ctx.pipeline.members:
        sample = _post(member, body, content_type, ctx)
        hops.append(_hop(member, sample))
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


@check(id="pipeline.direct", title="Each container answers when invoked alone", severity=Severity.MUST,
       phase=Phase.LIVE, priority=11, modes=PIPELINE, option="pipeline_direct",
       source="contract.md pipeline.direct (MCE; API-RT X-Amzn-SageMaker-Target-Container-Hostname)",
       remediation="Make every container of a direct endpoint answer the client's request on its own.")
def direct(ctx: CheckContext) -> Outcome:
    if not ctx.has_payload:
        return skipped("no --payload given")
    body, hops = ctx.config.payload.read_bytes(), []
    for member in ctx.pipeline.members:
        sample = _post(member, body, ctx.config.content_type, ctx, {TARGET_HEADER: member.hostname})
        hops.append(_hop(member, sample))
    failed = [h for h in hops if not (h["status"] and 200 <= h["status"] < 300)]
    if failed:
        names = "; ".join(f"{h['container']}: {h['status'] or h['error']}" for h in failed)
        return violation(f"{len(failed)} of {len(hops)} containers failed when invoked directly: {names}",
                         measured=len(failed), limit=0, unit="containers", details={"hops": hops})
    summary = ", ".join(f"{h['container']} {h['status']} {h['latency_s'] * 1000:.0f} ms" for h in hops)
    return passed(f"direct ({TARGET_HEADER}): {summary}", measured=len(hops), unit="containers",
                  details={"hops": hops})
