"""training.metrics: each MetricDefinition's regex finds its value in the job's log, as
the platform scans stdout/stderr for CloudWatch. Source: contract.md training.metrics
(METRICS; API-SM MetricDefinition: <= 40, Name 1-255, Regex 1-500)."""
from __future__ import annotations

import re

from .. import check
from ..context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


@check(id="training.metrics", title="Metric definitions match the job's log",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       option="metric_definitions",
       source="contract.md training.metrics (AWS guide training-metrics: regexes run over the "
              "job's stdout/stderr; the first capture group is the value)",
       remediation="Print each metric to stdout or stderr in the form your regex expects "
                   "(e.g. print(f\"validation_accuracy={acc:.3f}\", flush=True)).")
def metrics(ctx: CheckContext) -> Outcome:
    main = ctx.training.main()
    if not main.succeeded:
        return skipped("the job did not succeed; see training.exit")
    log = "\n".join(h.logs for h in main.hosts)
    found, missing = {}, []
    for name, regex in ctx.config.training.metric_definitions:
        values = [m.group(1) for m in re.finditer(regex, log)]
        if values:
            found[name] = {"count": len(values), "last": values[-1]}
        else:
            missing.append(name)
    summary = "; ".join(f"{n}: {v['count']} values, last {v['last']}" for n, v in found.items())
    if missing:
        return violation(f"no match in the job's log for {', '.join(missing)}"
                         + (f" (found {summary})" if summary else ""),
                         measured=len(found), limit=len(found) + len(missing), unit="metrics",
                         details={"metrics": found})
    return passed(summary, measured=len(found), limit=len(found), unit="metrics",
                  details={"metrics": found})
