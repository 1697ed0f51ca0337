"""training.metrics: each MetricDefinition's regex finds its value in the job's log, as
the platform scans stdout/stderr for CloudWatch. Source: contract.md training.metrics
(METRICS; API-SM MetricDefinition: <= 40, Name 1-255, Regex 1-500). With --objective-metric
the job runs as a tuning job runs it (_tuning_objective_metric in hyperparameters.json) and
the rule is a MUST: a tuning job has nothing to compare without its objective. The first capture group
is published as the metric's value, a number: an empty or non-numeric capture is no value."""
from __future__ import annotations

import math
import re

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


@check(id="training.metrics", title="Metric definitions match the job's log",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       option="metric_definitions", severities={"objective_metric": Severity.MUST},
       source="contract.md training.metrics (AWS guide training-metrics: regexes run over the "
              "job's stdout/stderr; the first capture group is the value)",
       remediation="Print each metric to stdout or stderr in the form your regex expects "
                   "(e.g. print(f\"validation_accuracy={acc:.3f}\", flush=True)).")
def metrics(ctx: CheckContext) -> Outcome:
    main = ctx.training.main()
    if not main.succeeded:
        return skipped("the job did not succeed; see training.exit")
    log = "\n".join(h.logs for h in main.hosts)
    found, missing, unparsed = {}, [], []
    for name, regex in ctx.config.mode_settings.metric_definitions:
        values = [m.group(1) for m in re.finditer(regex, log)]
        if not values:
            missing.append(name)
            continue
        bad = [v for v in values if not _is_number(v)]
        if bad:   # the platform publishes a float; a capture that is not one is no metric
            unparsed.append(f"{name} captured {bad[0]!r}" + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
        else:
            found[name] = {"count": len(values), "last": values[-1]}
    summary = "; ".join(f"{n}: {v['count']} values, last {v['last']}" for n, v in found.items())
    objective = ctx.config.mode_settings.objective_metric
    if objective and objective not in found:   # a tuning job cannot judge this training job
        missing = [f"{m} (the tuning objective, _tuning_objective_metric)" if m == objective else m
                   for m in missing]
        unparsed = [f"{u} (the tuning objective)" if u.startswith(objective + " ") else u for u in unparsed]
    if missing or unparsed:
        problems = ([f"no match in the job's log for {', '.join(missing)}"] if missing else []) + \
                   ([f"not a number: {'; '.join(unparsed)}"] if unparsed else [])
        total = len(found) + len(missing) + len(unparsed)
        return violation("; ".join(problems) + (f" (found {summary})" if summary else ""),
                         measured=len(found), limit=total, unit="metrics", details={"metrics": found})
    return passed(summary, measured=len(found), limit=len(found), unit="metrics",
                  details={"metrics": found})


def _is_number(text) -> bool:
    """As a float parses it (the platform's metric values are doubles); NaN and inf are not values."""
    try:
        return text is not None and math.isfinite(float(text))
    except ValueError:
        return False
