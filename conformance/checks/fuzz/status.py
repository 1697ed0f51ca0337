"""fuzz.status: generated bad input gets a 4xx, not a 5xx or a dropped connection.
Source: contract.md inference.invocations.errors (our policy, as inference.errors.status:
a 5xx for a client's input is counted as a model error)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from .alive import _statuses
from .report import finding_details, told


@check(id="fuzz.status", title="Generated bad input gets a 4xx, not a 5xx",
       severity=Severity.SHOULD, phase=Phase.DESTRUCTIVE, option="fuzz", priority=91,
       source="contract.md inference.invocations.errors (API-RT ModelError; our policy)",
       remediation="Reproduce with the minimal input shown; answer input the model cannot use "
                   "with 400 or 415 and keep 5xx for faults of the server itself.", remote=True)
def status(ctx: CheckContext) -> Outcome:
    examples = ctx.config.fuzz.examples
    result = ctx.probes.measure("fuzz")
    details = finding_details(result, result.status, examples)
    if result.status is not None:
        return violation(told(result.status, result, examples), measured=result.status.sample.status
                         or result.status.kind, limit="< 500", details=details)
    if result.down is not None:
        return skipped(f"not measured: fuzzing stopped after "
                       f"{result.examples} requests, when the server went down ({result.down.kind}); see fuzz.alive")
    return passed(f"no 5xx for {result.examples} generated requests ({_statuses(result.statuses)})",
                  measured=result.examples, unit="requests", details=details)
