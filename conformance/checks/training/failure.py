"""training.failure: a failing job writes its reason to /opt/ml/output/failure (the first
1024 characters become FailureReason). Source: contract.md training.failure (TRAIN-OUT:
"should"; API-SM FailureReason max 1024)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...contract import FAILURE_REASON_MAX
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation



@check(id="training.failure", title="A failing job writes /opt/ml/output/failure",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.failure (AWS guide your-algorithms-training-algo-output; "
              "DescribeTrainingJob shows the first 1024 characters as FailureReason)",
       remediation="Catch the exception at the top of `train`, write a one-line reason to "
                   "/opt/ml/output/failure, then exit non-zero.")
def failure_file(ctx: CheckContext) -> Outcome:
    drill = ctx.training.failure()
    if drill.succeeded:
        return skipped("the failure drill did not fail; see training.exit")
    texts = [h.read("output/failure") for h in drill.hosts if h.exit_code != 0]
    written = [t for t in texts if t and t.strip()]
    if not written:
        return violation("the failing job exited non-zero without writing /opt/ml/output/failure: "
                         "the platform would show no reason", measured=0, limit=">= 1", unit="chars")
    reason = written[0].strip()
    shown = reason[:FAILURE_REASON_MAX]
    note = f" (only the first {FAILURE_REASON_MAX} of {len(reason)} are kept)" if len(reason) > FAILURE_REASON_MAX else ""
    return passed(f"failure reason: {shown[:200]!r}{note}", measured=len(reason),
                  limit=FAILURE_REASON_MAX, unit="chars")
