"""inference.accept: TCP connections are accepted within 250 ms, idle and while
invocations are in flight, probed as the platform's traffic arrives (one connection at
a time). inference.accept.burst: the same limit for connects back to back, a harsher
probe than the platform's, which measures the listen backlog.
Source: contract.md inference.accept (HOST)."""
from __future__ import annotations

from typing import Optional

from .. import check
from . import HOSTED
from ...engine.context import CheckContext
from ...engine.http import percentile
from ...contract import ACCEPT_LIMIT_S
from ...engine.probes import BURST_CONNECTS, IDLE_PAUSE_S
from ...engine.sockets import listen_backlog
from ...model import Outcome, Phase, Severity, skipped, violation, within

SOURCE = ("contract.md inference.accept (AWS guide your-algorithms-inference-code: "
          "accept socket connection requests within 250 ms)")


def not_measurable(ctx: CheckContext) -> Optional[Outcome]:
    """Through a published port Docker's proxy accepts on the host even when nothing
    listens in the container: accept times are not the container's, so never a pass."""
    if ctx.target is not None and not ctx.target.exact_accept:
        return skipped("reached through a published port, where Docker's proxy accepts every "
                       "connection itself: the container's accept time cannot be measured "
                       "(run where the container's bridge address is routable, e.g. Linux CI)")
    return None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@check(id="inference.accept", title="TCP connections accepted within 250 ms",
       modes=HOSTED, each_container=True,
       severity=Severity.MUST, phase=Phase.LIVE, priority=60, source=SOURCE,
       remediation="Keep a listen backlog (e.g. nginx or gunicorn defaults) and accept "
                   "connections in a thread or event loop that model work never blocks.")
def accept(ctx: CheckContext) -> Outcome:
    early = not_measurable(ctx)
    if early:
        return early
    samples = list(ctx.probes.accept_idle())
    busy = list(ctx.probes.load_window().connects) if ctx.has_payload else []
    refused_idle = [why for seconds, why in samples if seconds is None]
    refused_busy = [why for seconds, why in busy if seconds is None]
    refused = refused_idle + refused_busy
    idle = [s for s, _ in samples if s is not None]
    loaded = [s for s, _ in busy if s is not None]
    if refused:
        return violation(f"connects not accepted: {len(refused_idle)} of {len(samples)} idle, "
                         f"{len(refused_busy)} of {len(busy)} with invocations in flight "
                         f"({refused[0]})", measured=refused[0], limit=ACCEPT_LIMIT_S, unit="s")
    times = idle + loaded
    details = {"idle_max_s": round(max(idle), 4), "idle_p99_s": round(percentile(idle, 99), 4),
               "idle_pause_s": IDLE_PAUSE_S, "n": len(times)}
    text = (f"idle ({len(idle)} connects, {IDLE_PAUSE_S * 1000:.0f} ms apart): max {_ms(max(idle))}, "
            f"p99 {_ms(percentile(idle, 99))}")
    if loaded:
        details.update(busy_max_s=round(max(loaded), 4), busy_p99_s=round(percentile(loaded, 99), 4))
        text += (f"; with invocations in flight: max {_ms(max(loaded))}, "
                 f"p99 {_ms(percentile(loaded, 99))}")
    if not ctx.has_payload:
        text += "; not measured with invocations in flight (no --payload for /invocations)"
    return within(round(max(times), 4), ACCEPT_LIMIT_S, "s", text, details)


@check(id="inference.accept.burst", title="A burst of back-to-back connects is accepted within 250 ms",
       modes=HOSTED, each_container=True,
       severity=Severity.SHOULD, phase=Phase.LIVE, priority=61,
       source=SOURCE + ". The platform's health checks and clients do not open "
              f"{BURST_CONNECTS} connections within milliseconds: this probe is harsher than the "
              "platform and measures the listen backlog, so it only warns",
       remediation="Raise the server's listen backlog (e.g. request_queue_size on Python's "
                   "socketserver, gunicorn --backlog, nginx listen ... backlog=), so bursts of new "
                   "connections are queued instead of dropped (a dropped SYN costs 1 s).")
def accept_burst(ctx: CheckContext) -> Outcome:
    early = not_measurable(ctx)
    if early:
        return early
    samples = list(ctx.probes.accept_burst())
    times = [s for s, _ in samples if s is not None]
    refused = [why for s, why in samples if s is None]
    slow = [s for s in times if s > ACCEPT_LIMIT_S]
    backlog, how = listen_backlog(ctx.container, ctx.port)
    where = f"listen backlog {backlog} (read with {how})" if backlog is not None else how
    details = {"n": len(samples), "slow": len(slow), "refused": len(refused), "listen_backlog": backlog}
    if refused:
        return violation(f"{len(refused)} of {len(samples)} back-to-back connects not accepted "
                         f"({refused[0]}); {where}", measured=refused[0], limit=ACCEPT_LIMIT_S,
                         unit="s", details=details)
    text = (f"{len(samples)} connects back to back: max {_ms(max(times))}, {len(slow)} over 250 ms; "
            f"{where}")
    if slow:
        text += (". Slow connects near 1 s are SYNs the kernel dropped because the backlog was "
                 "full and the client retransmitted; the platform's own traffic is not this bursty")
    return within(round(max(times), 4), ACCEPT_LIMIT_S, "s", text, details)
