"""variants.latency: no candidate is slower than the baseline on the same requests by more
than --max-latency-ratio at p50 or p90 (differences under --latency-slack-ms are noise; p99
of a few dozen requests is one request, so it is reported, not gated).
The tool's gate, not a platform rule: a slower variant still serves, its share of the
endpoint's traffic (API-SM InitialVariantWeight) just gets slower."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from ...modes.variants.replay import NOT_UP, compared


@check(id="variants.latency", title="No variant is slower than the baseline by more than the ratio",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=("variants",), needs=("payload",), priority=91,
       source="tool: the same requests, round robin, on this machine (model-ab-testing: compare the "
              "variants' performance; API-SM CreateEndpointConfig: each variant's weight is its share of "
              "the endpoint's traffic)",
       remediation="Profile the candidate on the replayed requests (model size, workers, batching) "
                   "before raising its weight; --max-latency-ratio sets what you accept.")
def latency(ctx: CheckContext) -> Outcome:
    traffic = compared(ctx)
    if traffic is None:
        return skipped(NOT_UP)
    settings = ctx.config.mode_settings
    base = traffic[0].figures
    if base["p50_ms"] is None:
        return skipped("the baseline answered no request 2xx; see inference.invocations")
    worst, found = 0.0, ""
    for other in traffic[1:]:
        mine = other.figures
        if mine["p50_ms"] is None:
            return violation(f"{other.label} answered no request 2xx", measured="no 2xx", limit="2xx")
        for q in ("p50_ms", "p90_ms"):
            ratio = mine[q] / max(base[q], 0.001)
            if mine[q] > base[q] * settings.max_latency_ratio + settings.latency_slack_ms and ratio > worst:
                worst, found = ratio, f"{other.label}: {q[:3]} {mine[q]} ms against the baseline's {base[q]} ms"
    details = {"baseline_ms": {q: base[f"{q}_ms"] for q in ("p50", "p90", "p99")},
               "variants_ms": {t.name: {q: t.figures[f"{q}_ms"] for q in ("p50", "p90", "p99")} for t in traffic[1:]},
               "max_latency_ratio": settings.max_latency_ratio, "latency_slack_ms": settings.latency_slack_ms}
    if found:
        return violation(f"{found} ({worst:.2f}x, more than {settings.max_latency_ratio:g}x + "
                         f"{settings.latency_slack_ms:g} ms)", measured=round(worst, 3),
                         limit=f"{settings.max_latency_ratio:g}x + {settings.latency_slack_ms:g} ms", unit="x",
                         details=details)
    ratios = [t.figures["p90_ms"] / max(base["p90_ms"], 0.001) for t in traffic[1:]]
    return passed(f"p50/p90/p99 of the baseline {_quantiles(base)}; "
                  + ", ".join(f"{t.label} {_quantiles(t.figures)}" for t in traffic[1:]),
                  measured=round(max(ratios), 3), limit=f"{settings.max_latency_ratio:g}x + {settings.latency_slack_ms:g} ms",
                  unit="x (p90)", details=details)


def _quantiles(figures: dict) -> str:
    return f"{figures['p50_ms']}/{figures['p90_ms']}/{figures['p99_ms']} ms"
