"""inference.concurrency: while several invocations are in flight, /ping still answers
200 within 2 s and new sockets are accepted within 250 ms (the classic one-sync-worker
failure). Source: contract.md inference.ping.steady (MUST) and inference.concurrency."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...engine.http import percentile
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from ...contract import ACCEPT_LIMIT_S, PING_LIMIT_S



@check(needs=("payload",), id="inference.concurrency", title="/ping and accept stay fast while invocations run",
       severity=Severity.MUST, phase=Phase.LIVE, priority=70,
       source="contract.md inference.ping.steady (HOST: failing pings get the instance replaced) "
              "and inference.concurrency (several requests may be in flight)",
       remediation="Serve with several workers or threads (gunicorn -w N, or an async server) so "
                   "that /ping is never queued behind model work.")
def concurrency(ctx: CheckContext) -> Outcome:
    window = ctx.probes.load_window()
    if not window.pings:
        return skipped("no ping could be timed during the window")
    times = [p.elapsed_s for p in window.pings]
    bad_pings = [p for p in window.pings if p.status != 200 or p.elapsed_s > PING_LIMIT_S]
    connects = [s for s, _ in window.connects]
    slow_connects = [s for s in connects if s is None or s > ACCEPT_LIMIT_S]
    details = {"workers": window.workers, "invocations": len(window.invocations),
               "ping_max_s": round(max(times), 4), "ping_p50_s": round(percentile(times, 50), 4),
               "pings": len(times)}
    if bad_pings:
        worst = max(bad_pings, key=lambda p: p.elapsed_s)
        return violation(f"{len(bad_pings)} of {len(times)} pings failed or took over "
                         f"{PING_LIMIT_S:g} s with {window.workers} invocations in flight; "
                         f"worst: {worst.describe()}", measured=round(worst.elapsed_s, 3),
                         limit=PING_LIMIT_S, unit="s", details=details)
    if slow_connects:
        worst_connect = max((s for s in connects if s is not None), default=None)
        return violation(f"{len(slow_connects)} of {len(connects)} connects took over 250 ms with "
                         f"invocations in flight", measured=round(worst_connect, 3) if worst_connect
                         else "not accepted", limit=ACCEPT_LIMIT_S, unit="s", details=details)
    return passed(f"with {window.workers} invocations in flight ({len(window.invocations)} done): "
                  f"/ping max {max(times):.3f} s over {len(times)} pings; connects max "
                  f"{max(connects) * 1000:.1f} ms", measured=round(max(times), 4),
                  limit=PING_LIMIT_S, unit="s", details=details)
