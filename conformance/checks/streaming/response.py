"""streaming.response.*: with --stream, POST /invocations answers in parts, early.
Source: contract.md streaming.response.chunked and streaming.response.limits (HOST: the
guide's FastAPI StreamingResponse and Flask stream_with_context examples; API-RT
InvokeEndpointWithResponseStream, PayloadPart events)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, skipped, undecided, violation, within

SOURCE = "contract.md streaming.response.chunked (HOST, API-RT InvokeEndpointWithResponseStream)"
MIN_SPREAD_S = 0.02    # below this, all parts came together: too quick to tell streaming from not
EARLY_SHARE = 0.5      # "long before the last": the first part by half of the last part's time


def _answered(sample) -> Outcome | None:
    """A failed request or a non-2xx answer settles the check before any timing."""
    if sample.error:
        return undecided(f"the streamed request failed: {sample.error}")
    if sample.status is None or not 200 <= sample.status < 300:
        return violation(f"POST /invocations answered {sample.status}, not 2xx, with the payload",
                         measured=sample.status, limit="2xx")
    return None


@check(id="streaming.response.chunked", title="The response comes in parts (chunked transfer)",
       severity=Severity.MUST, phase=Phase.LIVE, option="stream", source=SOURCE, remote=True,
       remediation="Return a streaming response (FastAPI StreamingResponse, Flask "
                   "stream_with_context) over HTTP/1.1 without a Content-Length, and turn off "
                   "proxy buffering in front of it (nginx: proxy_buffering off).")
def chunked(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.measure("stream")
    if _answered(sample) is not None:
        return _answered(sample)
    details = {"streaming": sample.summary()}
    if not sample.chunked:
        length = sample.headers.get("Content-Length")
        how = f"Content-Length: {length}" if length else "no chunked Transfer-Encoding"
        return violation(f"the body came whole ({how}, {sample.body_bytes} bytes): the platform "
                         f"can relay it only as one part", measured=how, limit="chunked", details=details)
    return passed(f"chunked: {len(sample.parts)} chunks, {sample.body_bytes} bytes",
                  measured=len(sample.parts), limit=">= 1 chunk", unit="chunks", details=details)


@check(id="streaming.response.first-byte", title="The first bytes come long before the last",
       severity=Severity.MUST, phase=Phase.LIVE, option="stream", source=SOURCE, remote=True,
       remediation="Yield each part as soon as it is ready instead of collecting the whole "
                   "answer first; flush after each part.")
def first_byte(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.measure("stream")
    if _answered(sample) is not None:
        return _answered(sample)
    details = {"streaming": sample.summary()}
    if not sample.parts:
        return violation("the response had no body", measured=0, limit="> 0", unit="bytes")
    ttfb, last = sample.ttfb_s, sample.last_byte_s
    if last - ttfb < MIN_SPREAD_S and ttfb < MIN_SPREAD_S:
        return undecided(f"the whole body came within {last * 1000:.0f} ms: too quick to tell a "
                         f"stream from a buffered answer; give a --payload that takes longer")
    limit_ms = round(last * EARLY_SHARE * 1000, 1)
    message = (f"first byte after {ttfb * 1000:.0f} ms, last after {last * 1000:.0f} ms "
               f"({len(sample.parts)} part{'s' if len(sample.parts) != 1 else ''})")
    if last - ttfb < MIN_SPREAD_S:
        return violation(f"{message}: every part came at the end, together", round(ttfb * 1000, 1),
                         limit_ms, "ms", details)
    return within(round(ttfb * 1000, 1), limit_ms, "ms", message + " (time to first byte against "
                  "half the time to the last)", details)


@check(id="streaming.response.limits", title="A 6 MiB request with the platform's headers streams",
       severity=Severity.MUST, phase=Phase.LIVE, option="stream", remote=True,
       source="contract.md streaming.response.limits (API-RT InvokeEndpointWithResponseStream: "
              "request body <= 6 MiB; how Accept reaches the container is UNCONFIRMED)",
       remediation="Accept request bodies up to 6 MiB on the streaming path too, ignore "
                   "X-Amzn-SageMaker-* headers you do not use, and set a Content-Type.")
def limits(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.measure("stream_limits")
    if sample is None:
        return skipped(f"cannot grow a {ctx.config.content_type} payload to 6 MiB; see "
                       f"inference.invocations.request-size")
    if _answered(sample) is not None:
        return _answered(sample)
    details = {"streaming": sample.summary()}
    if not sample.chunked or not sample.parts:
        return violation("a 6 MiB request was answered, but not as a stream", measured="whole",
                         limit="chunked", details=details)
    if not sample.headers.get("Content-Type"):
        return violation("the streamed response has no Content-Type (the client receives it as "
                         "X-Amzn-SageMaker-Content-Type)", measured="none", limit="set", details=details)
    return passed(f"6 MiB request with the platform's headers: {sample.status}, first part after "
                  f"{sample.ttfb_s * 1000:.0f} ms, Content-Type {sample.headers['Content-Type']}",
                  measured=sample.status, limit="2xx", details=details)
