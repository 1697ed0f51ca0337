"""lifecycle.sigterm: SIGTERM ends the container within the grace period.
Sources: contract.md lifecycle.sigterm.hosting (HOST: SIGTERM, SIGKILL 30 s later; SHOULD
here) and lifecycle.sigterm.training (TRAIN-RUN: `docker stop -t 120`; MUST, since
StopTrainingJob, the runtime limit and spot interruption all stop a job this way)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, skipped, violation, within


@check(id="lifecycle.sigterm", title="SIGTERM stops the container within the grace period",
       severity=Severity.SHOULD, severities={Mode.TRAIN: Severity.MUST},
       modes=(Mode.SERVE, Mode.TRAIN, Mode.MME, Mode.PIPELINE), phase=Phase.SHUTDOWN, needs_healthy=False,
       each_container=True,
       source="contract.md lifecycle.sigterm.hosting (30 s, SHOULD) and lifecycle.sigterm.training "
              "(120 s, MUST) (AWS guide: your-algorithms-inference-code, your-algorithms-training-algo-dockerfile)",
       remediation="Use an exec-form ENTRYPOINT (or `exec` in your start script) and handle "
                   "SIGTERM: a PID 1 with no handler ignores SIGTERM inside a container.")
def sigterm(ctx: CheckContext) -> Outcome:
    drill = ctx.stop_drill()
    if drill.skipped:
        return skipped(drill.skipped)
    pid1 = f"; PID 1 is `{drill.pid1}`" if drill.pid1 else ""
    if drill.exited_after_s is None:
        return violation(f"still running at the end of the {drill.grace_s:g} s grace after SIGTERM: "
                         f"killed (SIGKILL) {drill.killed_at_s or drill.grace_s:.2f} s after SIGTERM, "
                         f"as the platform would{pid1} (SIGTERM {drill.disposition or 'unknown'})",
                         measured=f">{drill.grace_s:g}", limit=drill.grace_s, unit="s")
    took = drill.exited_after_s
    text = f"exited with code {drill.exit_code} {took:.2f} s after SIGTERM (grace {drill.grace_s:g} s)"
    if drill.disposition in ("default", "ignored") and not _pid1_dies_by_default(ctx):
        return skipped(f"{text}, but PID 1 does not handle SIGTERM (disposition: {drill.disposition}), "
                       f"so the signal did nothing: the job simply finished. Whether it would stop "
                       f"on SIGTERM could not be judged{pid1}")
    if drill.disposition != "caught" and not drill.was_running:
        return skipped(f"{text}, near the end of its own run and with PID 1's SIGTERM handling "
                       f"unreadable: no evidence that the signal ended it")
    evidence = ("PID 1 handles SIGTERM" if drill.disposition == "caught"
                else "it was busy and ended early")
    return within(round(took, 3), drill.grace_s, "s", f"{text}; {evidence}")


def _pid1_dies_by_default(ctx: CheckContext) -> bool:
    """A serving container runs until stopped: an exit after SIGTERM is the signal's doing
    even where PID 1's disposition reads "default" (e.g. a shell that forwards it)."""
    return ctx.config.serves
