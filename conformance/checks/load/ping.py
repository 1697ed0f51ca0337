"""load.ping: every health check during the load answered 200 within 2 s. A failure here
is what makes the platform replace a busy instance."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...contract import PING_LIMIT_S
from ...model import Outcome, Phase, Severity, passed, skipped, violation

PING_LIMIT_MS = PING_LIMIT_S * 1000


@check(id="load.ping", title="/ping answers 200 within 2 s throughout the load",
       severity=Severity.MUST, phase=Phase.LOAD, option="load",
       source="contract.md inference.ping.steady and inference.ping.latency (HOST: 2 s per "
              "attempt; failing pings get the instance replaced)",
       remediation="Answer /ping outside the model's workers (a separate thread or process) so "
                   "that load never delays it.", remote=True)
def ping_under_load(ctx: CheckContext) -> Outcome:
    pings = ctx.probes.measure("load").pings
    if not pings:
        return skipped("no health check fell inside the load window")
    bad = [p for p in pings if p[4] or p[3] != 200 or p[2] > PING_LIMIT_MS]
    worst = round(max(p[2] for p in pings), 1)
    if bad:
        first = bad[0]
        what = first[4] or f"HTTP {first[3]} after {first[2]:.0f} ms"
        return violation(f"{len(bad)} of {len(pings)} health checks failed under load (first: {what})",
                         measured=worst, limit=PING_LIMIT_MS, unit="ms")
    return passed(f"{len(pings)}/{len(pings)} health checks answered 200; slowest {worst} ms",
                  measured=worst, limit=PING_LIMIT_MS, unit="ms")
