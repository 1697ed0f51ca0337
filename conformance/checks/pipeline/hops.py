"""What the pipeline checks send to one container and keep of its answer."""
from __future__ import annotations

from typing import Optional

from ...engine.context import CheckContext
from ...engine.http import HttpSample, http_call

TARGET_HEADER = "X-Amzn-SageMaker-Target-Container-Hostname"   # contract.md pipeline.direct (API-RT)


def post(member, body: bytes, content_type: str, ctx: CheckContext, extra: Optional[dict] = None) -> HttpSample:
    """POST to one container; the sample keeps the whole response (the next hop's body)."""
    return http_call(member.target.base_url, "POST", "/invocations", body=body,
                     read_timeout=ctx.config.invocation_limit_s, keep_bytes=ctx.config.max_body_bytes,
                     headers={"Content-Type": content_type, "Accept": ctx.config.accept, **(extra or {})})



def hop(member, sample: HttpSample) -> dict:
    return {"container": member.hostname, "image": member.image, "status": sample.status,
            "error": sample.error or None, "latency_s": round(sample.elapsed_s, 4),
            "request_bytes": sample.request_bytes, "response_bytes": sample.body_bytes,
            "content_type": sample.headers.get("Content-Type")}
