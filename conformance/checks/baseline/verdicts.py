"""baseline.verdicts: no check that passed in the baseline report passes no longer (fails,
warns, errors, or is not judged now). The tool's gate for CI on every commit, not a
platform rule."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, violation
from ...registry import registered_modes

ALL_MODES = registered_modes()   # a check of every mode
SOURCE = ("tool: --baseline REPORT.json, an earlier report of this image (report.json); the idea of "
          "deployment-guardrails (AWS guide: a rollout is halted and rolled back on a regression)")


def compared_results(ctx: CheckContext) -> list:
    return [r for r in ctx.results if not r.id.startswith("baseline.")]


@check(id="baseline.verdicts", title="Every check that passed in the baseline still passes",
       severity=Severity.MUST, phase=Phase.SHUTDOWN, modes=ALL_MODES, option="baseline", needs_healthy=False,
       remote=True, priority=99, source=SOURCE,
       remediation="Fix what the commit broke (each regression names its check), or, if the rule is "
                   "meant to change, make the new report the baseline.")
def verdicts(ctx: CheckContext) -> Outcome:
    baseline = ctx.config.baseline
    now = {r.id: r for r in compared_results(ctx)}
    regressed = {i: (before["status"], now[i].status.value) for i, before in baseline.checks.items()
                 if before["status"] == "pass" and i in now and now[i].status.value != "pass"}
    gone = sorted(i for i, before in baseline.checks.items() if before["status"] == "pass" and i not in now)
    new = sorted(set(now) - set(baseline.checks))
    details = {"baseline": baseline.path, "baseline_image": baseline.image, "baseline_started": baseline.started,
               "regressed": {i: {"before": b, "now": n} for i, (b, n) in regressed.items()},
               "not_run_now": gone, "new_checks": new}
    if regressed:
        said = ", ".join(f"{i} ({b} -> {n})" for i, (b, n) in sorted(regressed.items()))
        return violation(f"{len(regressed)} check(s) that passed in {baseline.path} do not now: {said}",
                         measured=len(regressed), limit=0, unit="regressions", details=details)
    kept = sum(1 for b in baseline.checks.values() if b["status"] == "pass")
    note = f"; not run now: {', '.join(gone)}" if gone else ""
    return passed(f"all {kept - len(gone)} checks that passed in {baseline.path} still pass{note}",
                  measured=0, limit=0, unit="regressions", details=details)
