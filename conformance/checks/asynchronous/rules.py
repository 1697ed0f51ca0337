"""async.payload, async.timeout, async.concurrency. Sources: contract.md async.payload
(1 GB from S3), async.timeout (InvocationTimeoutSeconds 1-3600, default 900),
async.concurrency (MaxConcurrentInvocationsPerInstance) (ASYNC, API-RT InvokeEndpointAsync,
API-SM AsyncInferenceClientConfig)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...engine.http import PING_TIMEOUT_S
from ...engine.server_timeouts import KNOWN, read_timeouts
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, undecided, violation

ASYNC = (Mode.ASYNC,)


@check(id="async.payload", title="A large body streamed to /invocations is taken",
       severity=Severity.MUST, phase=Phase.DESTRUCTIVE, priority=10, modes=ASYNC,
       source="contract.md async.payload (ASYNC: payloads up to 1 GB; API-RT InvokeEndpointAsync)",
       remediation="Raise every body limit on the way to 1 GB (nginx client_max_body_size, "
                   "TS_MAX_REQUEST_SIZE / MMS_MAX_REQUEST_SIZE) and read the body as a stream.")
def payload(ctx: CheckContext) -> Outcome:
    if not ctx.has_payload:
        return skipped("no --payload given")
    sample = ctx.probes.async_payload()
    if sample is None:
        return skipped(f"a {ctx.config.content_type} payload cannot be grown on disk (only CSV, "
                       f"JSON Lines and plain text can)")
    size = sample.request_bytes
    if sample.ok:
        return passed(f"a {size} byte body, streamed from disk, was answered {sample.status} in "
                      f"{sample.elapsed_s:.2f} s", measured=size, limit=ctx.config.async_.payload_bytes,
                      unit="bytes")
    return violation(f"a {size} byte body was not taken: {sample.describe()}",
                     measured=sample.status or sample.error, limit=f"2xx for {size} bytes")


@check(id="async.timeout", title="No server on the way cuts a request before InvocationTimeoutSeconds",
       severity=Severity.MUST, phase=Phase.LIVE, priority=80, modes=ASYNC,
       source="contract.md async.timeout (API-RT InvokeEndpointAsync InvocationTimeoutSeconds "
              "1-3600, default 900)",
       remediation="Raise the timeouts to at least InvocationTimeoutSeconds: gunicorn --timeout "
                   "(or gthread workers), nginx proxy_read_timeout, TorchServe/MMS "
                   "default_response_timeout (SAGEMAKER_MODEL_SERVER_TIMEOUT).")
def timeout(ctx: CheckContext) -> Outcome:
    limit = ctx.config.async_.invocation_timeout_s
    found, commands = read_timeouts(ctx.container)
    read = "; ".join(f"{t.server}: {'none' if t.seconds is None else f'{t.seconds:g} s'} ({t.where})"
                     for t in found)
    details = {"how": "read from the server's configuration, not measured", "timeouts": read,
               "processes": commands[:20]}
    short = sorted((t for t in found if t.seconds is not None and t.seconds < limit), key=lambda t: t.seconds)
    if short:
        first = short[0]
        return violation(f"{first.server} cuts a request after {first.seconds:g} s ({first.where}); "
                         f"async allows {limit:g} s. Read from the configuration, not measured: {read}",
                         measured=first.seconds, limit=limit, unit="s", details=details)
    if found:
        return passed(f"no request timeout under {limit:g} s (read from the configuration, not "
                      f"measured): {read}", measured="none shorter", limit=limit, unit="s", details=details)
    return skipped(f"not measured: none of the servers this check can read ({', '.join(KNOWN)}) runs "
                   f"in the container, and a request would have to run {limit:g} s to measure it")


@check(id="async.concurrency", title="MaxConcurrentInvocationsPerInstance requests at once",
       severity=Severity.MUST, phase=Phase.LOAD, priority=10, modes=ASYNC,
       source="contract.md async.concurrency (API-SM AsyncInferenceClientConfig "
              "MaxConcurrentInvocationsPerInstance 1-1000)",
       remediation="Run enough workers or threads for the concurrency you configure, or lower "
                   "MaxConcurrentInvocationsPerInstance; never answer 5xx for a busy server.")
def concurrency(ctx: CheckContext) -> Outcome:
    if not ctx.has_payload:
        return skipped("no --payload given")
    run = ctx.probes.async_concurrency()
    failed = [s for s in run.invocations if not s.ok]
    slow_pings = [p for p in run.pings if p.status != 200 or p.elapsed_s > PING_TIMEOUT_S]
    summary = (f"{len(run.invocations) - len(failed)}/{len(run.invocations)} invocations 2xx with "
               f"{run.concurrency} at once; {len(run.pings) - len(slow_pings)}/{len(run.pings)} pings healthy")
    if not run.invocations:
        return undecided("no invocation completed")
    if failed:
        return violation(f"{summary}; first failure: {failed[0].describe()}", measured=len(failed),
                         limit=0, unit="failed")
    if slow_pings:
        return violation(f"{summary}; {slow_pings[0].describe()}", measured=len(slow_pings), limit=0,
                         unit="unhealthy pings")
    return passed(summary, measured=run.concurrency, limit=run.concurrency, unit="at once")
