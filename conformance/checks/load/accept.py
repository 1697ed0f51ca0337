"""load.accept: new TCP connections are still accepted within 250 ms under load (timed
from the tool's own process, not from the load generator)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...engine.http import percentile
from ...model import Outcome, Phase, Severity, skipped, violation, within
from ...contract import ACCEPT_LIMIT_S



@check(id="load.accept", title="TCP connections accepted within 250 ms under load",
       severity=Severity.MUST, phase=Phase.LOAD, option="load",
       source="contract.md inference.accept (HOST: 250 ms)",
       remediation="Keep a listen backlog and an accept loop that load never blocks "
                   "(nginx in front, or more workers).")
def accept_under_load(ctx: CheckContext) -> Outcome:
    connects = ctx.probes.measure("load").connects
    if not connects:
        return skipped("no connect was timed during the load run")
    refused = [why for seconds, why in connects if seconds is None]
    if refused:
        return violation(f"{len(refused)} of {len(connects)} connects not accepted ({refused[0]})",
                         measured=refused[0], limit=ACCEPT_LIMIT_S, unit="s")
    times = [s for s, _ in connects]
    return within(round(max(times), 4), ACCEPT_LIMIT_S, "s",
                  f"max {max(times) * 1000:.1f} ms, p99 {percentile(times, 99) * 1000:.1f} ms "
                  f"over {len(times)} connects")
