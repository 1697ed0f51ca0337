"""async.payload: a body up to 1 GB, streamed from disk, is taken.
Source: contract.md async.payload (ASYNC; API-RT InvokeEndpointAsync)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import ASYNC
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(needs=("payload",), id="async.payload", title="A large body streamed to /invocations is taken",
       severity=Severity.MUST, phase=Phase.DESTRUCTIVE, priority=10, modes=ASYNC,
       source="contract.md async.payload (ASYNC: payloads up to 1 GB; API-RT InvokeEndpointAsync)",
       remediation="Raise every body limit on the way to 1 GB (nginx client_max_body_size, "
                   "TS_MAX_REQUEST_SIZE / MMS_MAX_REQUEST_SIZE) and read the body as a stream.")
def payload(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.measure("async_payload")
    if sample is None:
        return skipped(f"a {ctx.config.content_type} payload cannot be grown on disk (only CSV, "
                       f"JSON Lines and plain text can)")
    size = sample.request_bytes
    if sample.ok:
        return passed(f"a {size} byte body, streamed from disk, was answered {sample.status} in "
                      f"{sample.elapsed_s:.2f} s", measured=size, limit=ctx.config.mode_settings.payload_bytes,
                      unit="bytes")
    return violation(f"a {size} byte body was not taken: {sample.describe()}",
                     measured=sample.status or sample.error, limit=f"2xx for {size} bytes")
