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


CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
CUSTOM_ATTRIBUTES_MAX = 1024   # contract.md inference.headers.custom-attributes (API-RT InvokeEndpointOutput)


@check(needs=("payload",), id="inference.headers.custom-attributes",
       title="A Custom-Attributes answer is at most 1024 visible US-ASCII characters",
       severity=Severity.SHOULD, phase=Phase.LIVE, priority=31,
       source="contract.md inference.headers.custom-attributes (API-RT InvokeEndpointOutput: "
              "CustomAttributes, at most 1024 visible US-ASCII characters (RFC 7230 3.2.6), set by the "
              "model or empty)",
       remediation="Set X-Amzn-SageMaker-Custom-Attributes on the answer only to at most 1024 printable "
                   "ASCII characters (e.g. echo the request's value, or a trace id), or leave it out.",
       remote=True)
def custom_attributes(ctx: CheckContext) -> Outcome:
    """Judged on the answer to the request that carried the platform's headers (one of them
    a Custom-Attributes value): the model may set the header on its answer, or not."""
    sample = ctx.probes.invocation_with_platform_headers()
    if not sample.ok:
        return skipped(f"the request with the platform's headers did not succeed ({sample.describe()}); "
                       f"see inference.headers")
    value = next((v for k, v in sample.headers.items() if k.lower() == CUSTOM_ATTRIBUTES.lower()), None)
    if value is None:
        return passed("the answer sets no Custom-Attributes (callers get an empty value, as the API allows)",
                      measured="not set", limit=CUSTOM_ATTRIBUTES_MAX, unit="characters")
    bad = sorted({f"U+{ord(c):04X}" for c in value if not (c == "\t" or " " <= c <= "~")})
    sent = PLATFORM_HEADERS[CUSTOM_ATTRIBUTES]
    echo = " (the request's value, echoed)" if value == sent else ""
    if bad or len(value) > CUSTOM_ATTRIBUTES_MAX:
        problem = f"characters outside visible US-ASCII: {', '.join(bad[:5])}" if bad else \
                  f"{len(value)} characters, over {CUSTOM_ATTRIBUTES_MAX}"
        return violation(f"the answer's Custom-Attributes has {problem}; the platform accepts at most "
                         f"{CUSTOM_ATTRIBUTES_MAX} visible US-ASCII characters",
                         measured=len(value), limit=CUSTOM_ATTRIBUTES_MAX, unit="characters")
    return passed(f"the answer sets Custom-Attributes{echo}: {len(value)} visible US-ASCII characters",
                  measured=len(value), limit=CUSTOM_ATTRIBUTES_MAX, unit="characters")
