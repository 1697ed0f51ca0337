"""lifecycle.sigterm: SIGTERM ends the container within the grace period.
Sources: contract.md lifecycle.sigterm.hosting (HOST: SIGTERM, SIGKILL 30 s later; SHOULD
here) and lifecycle.sigterm.training (TRAIN-RUN: `docker stop -t 120`; MUST, since
StopTrainingJob, the runtime limit and spot interruption all stop a job this way)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, skipped, violation, within


@check(id="lifecycle.sigterm", title="SIGTERM stops the container within the grace period",
       severity=Severity.SHOULD, severities={Mode.TRAIN: Severity.MUST},
       modes=(Mode.SERVE, Mode.TRAIN), phase=Phase.SHUTDOWN, needs_healthy=False,
       source="contract.md lifecycle.sigterm.hosting (30 s, SHOULD) and lifecycle.sigterm.training "
              "(120 s, MUST) (AWS guide: your-algorithms-inference-code, your-algorithms-training-algo-dockerfile)",
       remediation="Use an exec-form ENTRYPOINT (or `exec` in your start script) and handle "
                   "SIGTERM: a PID 1 with no handler ignores SIGTERM inside a container.")
def sigterm(ctx: CheckContext) -> Outcome:
    drill = ctx.stop_drill()
    if drill.skipped:
        return skipped(drill.skipped)
    if drill.exited_after_s is not None:
        took = drill.exited_after_s
        return within(round(took, 3), drill.grace_s, "s", f"exited with code {drill.exit_code} "
                      f"{took:.2f} s after SIGTERM (grace {drill.grace_s:g} s)")
    pid1 = f"; PID 1 is `{drill.pid1}`" if drill.pid1 else ""
    return violation(f"still running {drill.grace_s:g} s after SIGTERM{pid1}; the platform would "
                     f"SIGKILL it", measured=f">{drill.grace_s:g}", limit=drill.grace_s, unit="s")
