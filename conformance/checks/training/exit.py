"""training.exit: a successful job exits 0, a failed job exits non-zero (the exit code is
how the platform decides Completed or Failed). Source: contract.md training.exit (TRAIN-SIG)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


@check(id="training.exit", title="Exit 0 on success, non-zero on failure",
       severity=Severity.MUST, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False, priority=0,
       source="contract.md training.exit (AWS guide your-algorithms-training-signal-success-failure: "
              "exit 0 -> Completed, non-zero -> Failed)",
       remediation="Let errors propagate to a non-zero exit status (sys.exit(1) after logging); "
                   "never swallow an exception and exit 0.")
def exit_codes(ctx: CheckContext) -> Outcome:
    main = ctx.training.main()
    codes = {h.host: h.exit_code for h in main.hosts}
    unstarted = [h for h in main.hosts if h.start_error]
    if unstarted:
        return violation(f"Docker could not start the job: {unstarted[0].start_error}",
                         measured=127, limit=0)
    if not main.succeeded:
        stopped = [h.host for h in main.hosts if h.stopped_by == "max-runtime"]
        why = f" (stopped at --max-runtime on {', '.join(stopped)})" if stopped else ""
        return violation(f"the job with the given data failed: exit codes {codes}{why}",
                         measured=max(c if c is not None else -1 for c in codes.values()), limit=0)
    failure = ctx.training.failure()
    failure_codes = {h.host: h.exit_code for h in failure.hosts}
    if failure.succeeded:
        evidence = _knew_it_failed(failure)
        if not evidence:
            return skipped(f"the failure drill ({_drill(ctx)}) exited 0 with no sign of an error, "
                           f"so the job may accept it; give --failure-hyperparameters that make it fail")
        return violation(f"the failure drill ({_drill(ctx)}) failed ({evidence}) but exited 0: the "
                         f"platform would mark the failed job Completed", measured=0, limit="non-zero")
    return passed(f"exit 0 with the data; the failure drill ({_drill(ctx)}) exited {failure_codes}",
                  measured=0, limit=0)


def _knew_it_failed(job) -> str:
    """What shows that a job which exited 0 had in fact failed."""
    for host in job.hosts:
        if (host.read("output/failure") or "").strip():
            return f"{host.host} wrote /opt/ml/output/failure"
        if "Traceback (most recent call last)" in host.logs:
            return f"{host.host} logged a traceback"
    return ""


def _drill(ctx: CheckContext) -> str:
    if ctx.config.mode_settings.failure_hyperparameters is not None:
        return "--failure-hyperparameters"
    return "every channel emptied"
