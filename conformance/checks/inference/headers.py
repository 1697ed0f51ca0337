"""inference.headers: extra headers the platform adds or forwards are ignored safely.
Source: contract.md inference.headers.unknown (MUST) and inference.headers.forwarded."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...engine.probes import PLATFORM_HEADERS
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(needs=("payload",), id="inference.headers", title="Extra X-Amzn-SageMaker-* headers are ignored safely",
       severity=Severity.MUST, phase=Phase.LIVE, priority=30,
       source="contract.md inference.headers.unknown (HOST: containers must safely ignore extra "
              "headers) and inference.headers.custom-attributes (API-RT)",
       remediation="Do not reject requests with headers you do not know; treat "
                   "X-Amzn-SageMaker-Custom-Attributes as opaque.", remote=True)
def headers(ctx: CheckContext) -> Outcome:
    baseline = ctx.probes.invocations()[0]
    if not baseline.ok:
        return skipped(f"the plain invocation did not succeed ({baseline.describe()}); "
                       f"see inference.invocations")
    sample = ctx.probes.invocation_with_platform_headers()
    names = ", ".join(PLATFORM_HEADERS)
    if sample.ok:
        return passed(f"answered {sample.status} with {len(PLATFORM_HEADERS)} extra headers",
                      measured=sample.status, limit="2xx")
    return violation(f"the same request failed once the platform's headers were added "
                     f"({names}): {sample.describe()}", measured=sample.status or sample.error,
                     limit="2xx")
