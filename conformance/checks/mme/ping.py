"""mme.ping: /ping stays 200 within 2 s while models load, answer and unload.
Source: contract.md mme.ping (MME-BUILD), inference.ping.latency (HOST)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import MME

from ...model import Outcome, Phase, Severity, undecided, violation, within
from ...contract import PING_LIMIT_S


@check(id="mme.ping", title="/ping stays healthy while models load and unload", severity=Severity.MUST,
       phase=Phase.LIVE, priority=17, modes=MME,
       source="contract.md mme.ping (MME-BUILD: the /ping contract of hosting still applies), "
              "inference.ping.latency (2 s)",
       remediation="Load models off the thread that answers /ping (a worker process or a thread pool), "
                   "so a slow load never holds the health check.")
def ping(ctx: CheckContext) -> Outcome:
    watch = ctx.mme().ping
    if not watch.samples:
        return undecided("no /ping was answered or sent while the drill ran")
    failures = watch.failures
    if failures:
        return violation(f"{len(failures)} of {len(watch.samples)} /ping during the drill failed; first: "
                         f"{failures[0].describe()}", measured=round(watch.slowest_s, 3),
                         limit=PING_LIMIT_S, unit="s")
    return within(round(watch.slowest_s, 3), PING_LIMIT_S, "s",
                  f"{len(watch.samples)} /ping during the drill, all 200; slowest {watch.slowest_s:.3f} s")
