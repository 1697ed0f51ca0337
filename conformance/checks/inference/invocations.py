"""POST /invocations with the user's payload: 2xx within 60 s, response <= 6 MiB, and a
request body of the platform's full 6 MiB accepted.
Sources: contract.md inference.invocations, .latency, .request-size, .response-size,
.content-type."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(id="inference.invocations", title="POST /invocations answers 2xx within 60 s, body <= 6 MiB",
       severity=Severity.MUST, phase=Phase.LIVE, priority=10,
       source="contract.md inference.invocations, .latency (60 s) and .response-size "
              "(6,291,456 B; 4 MB serverless: serverless.payload, SLS) (AWS guide "
              "your-algorithms-inference-code; API-RT InvokeEndpoint)",
       remediation="Serve POST /invocations, answer within 60 s, and keep responses under 6 MiB "
                   "(batch or compress large outputs).", remote=True)
def invocations(ctx: CheckContext) -> Outcome:
    if not ctx.has_payload:
        return _route_only(ctx)
    samples = ctx.probes.invocations()
    slowest = max(s.elapsed_s for s in samples)
    largest = max(s.body_bytes for s in samples)
    details = {"latency_max_s": round(slowest, 4), "response_bytes_max": largest, "n": len(samples)}
    failed = [s for s in samples if not s.ok]
    if failed:
        head = failed[0].body_head.decode(errors="replace").strip()[:160]
        return violation(f"{len(failed)} of {len(samples)} invocations failed: {failed[0].describe()}"
                         + (f"; body: {head!r}" if head else ""),
                         measured=failed[0].status or failed[0].error, limit="2xx", details=details)
    limit_s = ctx.config.invocation_limit_s   # 60 s; InvocationTimeoutSeconds in async; batch: its own
    if slowest > limit_s:
        return violation(f"slowest invocation took {slowest:.2f} s", measured=round(slowest, 3),
                         limit=limit_s, unit="s", details=details)
    limit = ctx.config.max_body_bytes   # 6 MiB real-time; 4 MB serverless (contract.md serverless.payload)
    if largest > limit and ctx.config.mode_settings.response_limited:   # async writes the response to S3
        return violation(f"response body of {largest} bytes exceeds the platform's {limit} bytes "
                         f"in {ctx.config.mode} mode", measured=largest, limit=limit, unit="bytes",
                         details=details)
    return passed(f"{len(samples)}/{len(samples)} answered 2xx; slowest {slowest:.3f} s, "
                  f"largest response {largest} bytes", measured=round(slowest, 4),
                  limit=limit_s, unit="s", details=details)


def _route_only(ctx: CheckContext) -> Outcome:
    """Without a payload, an empty POST still shows whether the route exists."""
    sample = ctx.probes.empty_invocation()
    if sample.status in (404, 405) or sample.status is None:
        return violation(f"POST /invocations (empty body, no --payload) got "
                         f"{sample.status or sample.error}: the route does not exist or does not "
                         f"take POST; {sample.describe()}", measured=sample.status or sample.error,
                         limit="a POST /invocations route")
    return skipped(f"no --payload given: the route exists (an empty POST got {sample.status} in "
                   f"{sample.elapsed_s:.3f} s), but no real request could be judged")


@check(needs=("payload",), id="inference.invocations.request-size", title="A 6 MiB request body is accepted",
       severity=Severity.MUST, phase=Phase.LIVE, priority=20,
       source="contract.md inference.invocations.request-size (API-RT InvokeEndpoint Body max "
              "6,291,456 B; 4 MB serverless: serverless.payload, SLS; many servers default to 1 MB)",
       remediation="Raise the server's body limit to at least 6 MiB (nginx: client_max_body_size 6m; "
                   "gunicorn/Flask have none by default).", remote=True)
def request_size(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.big_request()
    if sample is None:
        return skipped(f"a {ctx.config.content_type} payload cannot be repeated into a 6 MiB "
                       f"body (only CSV, JSON Lines and plain text can)")
    if sample.status == 413 or sample.status is None:
        return violation(f"a {sample.request_bytes} byte body was refused: {sample.describe()}",
                         measured=sample.status or sample.error, limit=f"accept {ctx.config.max_body_bytes} B")
    verb = "accepted" if sample.ok else f"taken by the server (the model answered {sample.status})"
    return passed(f"a {sample.request_bytes} byte body was {verb} in {sample.elapsed_s:.2f} s",
                  measured=sample.status, limit="not 413")


CONTENT_TYPE_MAX = 1024   # InvokeEndpointOutput.ContentType: at most 1024 characters (API-RT)


@check(needs=("payload",), id="inference.invocations.content-type", title="The answer says its Content-Type",
       severity=Severity.SHOULD, phase=Phase.LIVE, priority=25,
       source="contract.md inference.invocations.content-type (API-RT InvokeEndpointOutput.ContentType: "
              "the container's response Content-Type is what the caller gets, at most 1024 characters)",
       remediation="Set Content-Type on every /invocations response (e.g. application/json or "
                   "text/csv), so that clients can tell how to read the body.", remote=True)
def response_content_type(ctx: CheckContext) -> Outcome:
    answered = [s for s in ctx.probes.invocations() if s.ok]
    if not answered:
        return skipped("no invocation answered 2xx; see inference.invocations")
    sample = answered[0]
    value = next((v for k, v in sample.headers.items() if k.lower() == "content-type"), None)
    if not value:
        return violation(f"the {sample.status} answer to /invocations carries no Content-Type: the "
                         f"caller's ContentType is left to a default", measured="none", limit="a Content-Type")
    if len(value) > CONTENT_TYPE_MAX:
        return violation(f"the answer's Content-Type is {len(value)} characters", measured=len(value),
                         limit=CONTENT_TYPE_MAX, unit="characters")
    return passed(f"Content-Type: {value}", measured=value, limit="a Content-Type")
