"""load.generator: the load generator was not the bottleneck. A locust process at 90 % of
a core or more measures itself, not the server."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...features.load.runner import SATURATED_CPU_PERCENT
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="load.generator", title="The load generator did not saturate its CPU",
       severity=Severity.SHOULD, phase=Phase.LOAD, option="load",
       source="our honesty rule: numbers taken by a saturated generator are not the server's (locust warns "
              "the same way: https://docs.locust.io/en/stable/running-distributed.html)",
       remediation="Add local workers (--workers N) or run locust workers on other machines "
                   "(README: distributed load).", remote=True)
def generator(ctx: CheckContext) -> Outcome:
    cpu = ctx.probes.measure("load").cpu_percent
    worst = max(cpu)
    text = "generator CPU per process: " + ", ".join(f"{c:.0f} %" for c in cpu)
    if worst >= SATURATED_CPU_PERCENT:
        return violation(text + ": saturated, so latency and throughput are understated",
                         measured=worst, limit=SATURATED_CPU_PERCENT, unit="%")
    return passed(text, measured=worst, limit=SATURATED_CPU_PERCENT, unit="%")
