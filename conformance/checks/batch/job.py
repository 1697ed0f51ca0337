"""batch.ping, batch.execution-parameters, batch.payload, batch.timeout and
batch.concurrency, judged from one transform job (batch/job.py). Sources: contract.md
§5 (BATCH: the transform job's container contract; API-SM CreateTransformJobRequest,
ModelClientConfig; BT)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, violation, within

BATCH = (Mode.BATCH,)
SOURCE = "contract.md {} (BATCH; API-SM CreateTransformJobRequest, ModelClientConfig)"


@check(id="batch.ping", title="/ping answers 200 before the first request", severity=Severity.MUST,
       phase=Phase.STARTUP, priority=60, needs_healthy=False, modes=BATCH, source=SOURCE.format("batch.ping"),
       remediation="Answer GET /ping with 200 once the model is loaded; the job sends nothing before.")
def ping(ctx: CheckContext) -> Outcome:
    startup = ctx.startup
    if startup is None or not startup.healthy:
        state = startup.state if startup else "not started"
        return violation(f"no 200 from /ping ({state}): the transform job never sends a record",
                         measured=state, limit="200")
    return passed(f"/ping answered 200 after {startup.elapsed_s:.2f} s", measured=round(startup.elapsed_s, 3),
                  limit="200 before /invocations", unit="s")


@check(id="batch.execution-parameters", title="GET /execution-parameters, when served, is valid",
       severity=Severity.MUST, phase=Phase.LIVE, priority=10, modes=BATCH,
       source=SOURCE.format("batch.execution-parameters (SHOULD implement; MUST be valid if present)"),
       remediation='Answer {"MaxConcurrentTransforms": int >= 1, "BatchStrategy": "MULTI_RECORD" or '
                   '"SINGLE_RECORD", "MaxPayloadInMB": int 0-100}, with concurrency x payload <= 100.')
def execution_parameters(ctx: CheckContext) -> Outcome:
    job = ctx.probes.batch_job()
    used = ", ".join(f"{k}={v} ({job.origin[k]})" for k, v in job.params.items())
    details = {"used": job.params, "origin": job.origin}
    if job.problems:
        return violation(f"the container's answer is invalid: {'; '.join(job.problems)}; used: {used}",
                         measured="invalid", limit="valid JSON", details=details)
    answer = job.answer
    if answer is None or answer.status != 200:
        said = answer.describe() if answer else "no answer"
        return passed(f"not served ({said}): the job's values and the defaults apply; used: {used}",
                      measured="not served", limit="valid if served", details=details)
    return passed(f"valid: used {used}", measured="valid", limit="valid if served", details=details)


@check(id="batch.payload", title="Mini-batches up to MaxPayloadInMB are taken", severity=Severity.MUST,
       phase=Phase.LIVE, priority=20, modes=BATCH, source=SOURCE.format("batch.payload"),
       remediation="Accept request bodies up to MaxPayloadInMB (nginx client_max_body_size, "
                   "TS_MAX_REQUEST_SIZE) and chunked bodies when MaxPayloadInMB is 0.")
def payload(ctx: CheckContext) -> Outcome:
    job = ctx.probes.batch_job()
    largest = max((s.batch for s in job.sent), key=lambda b: len(b.body))
    limit = job.params["MaxPayloadInMB"]
    refused = [s for s in job.sent if any(a.status == 413 or a.error.startswith(
        ("connection closed", "connection reset", "connection aborted")) for a in s.attempts)]
    how = "chunked, each file whole" if limit == 0 else f"up to {limit} MB"
    if refused:
        first = refused[0]
        return violation(f"a {len(first.batch.body)} byte mini-batch of {first.batch.file} was refused: "
                         f"{first.attempts[-1].describe()} ({how})", measured=len(first.batch.body),
                         limit=how, unit="bytes")
    return passed(f"{len(job.sent)} mini-batches taken ({how}); the largest {len(largest.body)} bytes",
                  measured=len(largest.body), limit=how, unit="bytes")


@check(id="batch.timeout", title="Each mini-batch is answered within the invocation timeout",
       severity=Severity.MUST, phase=Phase.LIVE, priority=30, modes=BATCH,
       source=SOURCE.format("batch.timeout (InvocationsTimeoutInSeconds 1-3600, default 600; 3 retries)"),
       remediation="Answer each mini-batch within the timeout: lower MaxPayloadInMB, or raise "
                   "InvocationsTimeoutInSeconds (--invocations-timeout).")
def timeout(ctx: CheckContext) -> Outcome:
    job, limit = ctx.probes.batch_job(), ctx.config.batch.timeout_s
    attempts = [a for s in job.sent for a in s.attempts]
    late = [a for a in attempts if a.error.startswith("no answer within")]
    slowest = max(a.elapsed_s for a in attempts)
    if late:
        return violation(f"{len(late)} of {len(attempts)} attempts got no answer within {limit:g} s "
                         f"(retries included)", measured=round(slowest, 3), limit=limit, unit="s")
    return within(round(slowest, 3), limit, "s", f"slowest mini-batch {slowest:.3f} s of {len(attempts)} "
                  f"attempts (limit {limit:g} s)")


@check(id="batch.concurrency", title="MaxConcurrentTransforms requests at once are served",
       severity=Severity.MUST, phase=Phase.LIVE, priority=40, modes=BATCH,
       source=SOURCE.format("batch.concurrency (MaxConcurrentTransforms)"),
       remediation="Serve as many requests at once as MaxConcurrentTransforms (workers or threads), "
                   "or answer /execution-parameters with what it can take.")
def concurrency(ctx: CheckContext) -> Outcome:
    job = ctx.probes.batch_job()
    wanted = job.params["MaxConcurrentTransforms"]
    refused = [s for s in job.sent if s.in_flight > 1 and s.attempts and not s.attempts[0].ok]
    message = f"up to {job.max_in_flight} in flight (MaxConcurrentTransforms {wanted})"
    if refused:
        first = refused[0].attempts[0]
        return violation(f"{len(refused)} mini-batches failed on their first attempt while others were "
                         f"in flight: {first.describe()}; {message}", measured=len(refused), limit=0,
                         unit="refused")
    return passed(message, measured=job.max_in_flight, limit=wanted, unit="in flight")
