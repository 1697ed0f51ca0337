"""baseline.latency: no measured latency (a check's value in s or ms: time to healthy,
/ping, /invocations, the load run's p99) grew past --regression-ratio times the
baseline's, plus --regression-slack-ms for noise. The tool's gate, not a platform rule."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...features.baseline.settings import seconds
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from .verdicts import ALL_MODES, SOURCE, compared_results


@check(id="baseline.latency", title="No latency grew past the ratio since the baseline",
       severity=Severity.SHOULD, phase=Phase.SHUTDOWN, modes=ALL_MODES, option="baseline", needs_healthy=False,
       remote=True, priority=99, source=SOURCE,
       remediation="Profile what the commit changed on the path that got slower (named with both "
                   "figures); --regression-ratio sets what you accept.")
def latency(ctx: CheckContext) -> Outcome:
    baseline = ctx.config.baseline
    pairs = {}
    for result in compared_results(ctx):
        now = seconds({"measured": result.measured, "unit": result.unit})
        before = baseline.latency_s(result.id)
        if now is not None and before is not None:
            pairs[result.id] = (before, now)
    if not pairs:
        return skipped(f"no latency was measured both now and in {baseline.path}")
    grown = {i: (b, n) for i, (b, n) in pairs.items() if n > b * baseline.ratio + baseline.slack_s}
    details = {"compared_s": {i: {"before": round(b, 4), "now": round(n, 4)} for i, (b, n) in pairs.items()},
               "ratio": baseline.ratio, "slack_s": baseline.slack_s}
    if grown:
        worst = max(grown, key=lambda i: grown[i][1] / max(grown[i][0], 1e-6))
        before, now = grown[worst]
        said = ", ".join(f"{i} {b:.3f} s -> {n:.3f} s" for i, (b, n) in sorted(grown.items()))
        return violation(f"{len(grown)} latency figure(s) grew past {baseline.ratio:g}x since {baseline.path}: {said}",
                         measured=round(now / max(before, 1e-6), 3), limit=_allowed(baseline), unit="x", details=details)
    return passed(f"{len(pairs)} latency figures within {_allowed(baseline)} of {baseline.path}: "
                  + ", ".join(f"{i} {b:.3f} s -> {n:.3f} s" for i, (b, n) in sorted(pairs.items())),
                  measured=round(max(n / max(b, 1e-6) for b, n in pairs.values()), 3), limit=_allowed(baseline),
                  unit="x", details=details)


def _allowed(baseline) -> str:
    return f"{baseline.ratio:g}x + {baseline.slack_s * 1000:g} ms"
