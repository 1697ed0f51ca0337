"""batch.execution-parameters: the container's answer, when it serves one, is valid;
the values used and where each came from. Source: contract.md batch.execution-parameters."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH, SOURCE
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="batch.execution-parameters", title="GET /execution-parameters, when served, is valid",
       severity=Severity.MUST, phase=Phase.LIVE, priority=10, modes=BATCH,
       source=SOURCE.format("batch.execution-parameters (SHOULD implement; MUST be valid if present)"),
       remediation='Answer {"MaxConcurrentTransforms": int >= 1, "BatchStrategy": "MULTI_RECORD" or '
                   '"SINGLE_RECORD", "MaxPayloadInMB": int 0-100}, with concurrency x payload <= 100.')
def execution_parameters(ctx: CheckContext) -> Outcome:
    job = ctx.probes.measure("batch_job")
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
