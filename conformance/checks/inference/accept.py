"""inference.accept: TCP connections are accepted within 250 ms, idle and while
invocations are in flight. Source: contract.md inference.accept (HOST)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...engine.http import percentile
from ...model import Outcome, Phase, Severity, violation, within

ACCEPT_LIMIT_S = 0.250


@check(id="inference.accept", title="TCP connections accepted within 250 ms",
       severity=Severity.MUST, phase=Phase.LIVE, priority=60,
       source="contract.md inference.accept (AWS guide your-algorithms-inference-code: "
              "accept socket connection requests within 250 ms)",
       remediation="Keep a listen backlog (e.g. nginx or gunicorn defaults) and accept "
                   "connections in a thread or event loop that model work never blocks.")
def accept(ctx: CheckContext) -> Outcome:
    samples = list(ctx.probes.accept_idle())
    busy = list(ctx.probes.load_window().connects) if ctx.has_payload else []
    refused_idle = [why for seconds, why in samples if seconds is None]
    refused_busy = [why for seconds, why in busy if seconds is None]
    refused = refused_idle + refused_busy
    idle = [s for s, _ in samples if s is not None]
    loaded = [s for s, _ in busy if s is not None]
    note = "" if ctx.target.exact_accept else " (through a published port: not exact)"
    if refused:
        return violation(f"connects not accepted: {len(refused_idle)} of {len(samples)} idle, "
                         f"{len(refused_busy)} of {len(busy)} with invocations in flight "
                         f"({refused[0]}){note}", measured=refused[0], limit=ACCEPT_LIMIT_S, unit="s")
    times = idle + loaded
    details = {"idle_max_s": round(max(idle), 4), "idle_p99_s": round(percentile(idle, 99), 4),
               "n": len(times)}
    text = f"idle: max {max(idle) * 1000:.1f} ms, p99 {percentile(idle, 99) * 1000:.1f} ms"
    if loaded:
        details.update(busy_max_s=round(max(loaded), 4), busy_p99_s=round(percentile(loaded, 99), 4))
        text += (f"; with invocations in flight: max {max(loaded) * 1000:.1f} ms, "
                 f"p99 {percentile(loaded, 99) * 1000:.1f} ms")
    return within(round(max(times), 4), ACCEPT_LIMIT_S, "s", text + note, details)
