"""variants.agreement: every candidate answers the replayed requests as the baseline does
(the same status; the same body, or the same JSON or tokens with numbers within
--tolerance), for at least --min-agreement of them. Source: API-SM CreateEndpointConfig
(production variants share one endpoint's traffic by weight, so a caller may get either
variant's answer; a shadow variant's answers are compared, never returned)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from ...modes.variants.replay import NOT_UP, compared

SOURCE = ("model-ab-testing and model-shadow-deployment (AWS guide: compare variants on production traffic); "
          "API-SM CreateEndpointConfig.ProductionVariants (InitialVariantWeight splits one endpoint's "
          "traffic among its variants) and ShadowProductionVariants (a copy of the production traffic)")


@check(id="variants.agreement", title="Every variant answers the same traffic as the baseline does",
       severity=Severity.MUST, phase=Phase.LIVE, modes=("variants",), source=SOURCE, needs=("payload",),
       priority=90,
       remediation="Find why the candidate answers differently (a model or a preprocessing change, a "
                   "different output format) before it takes traffic; raise --tolerance only for "
                   "numeric noise you accept.")
def agreement(ctx: CheckContext) -> Outcome:
    traffic = compared(ctx)
    if traffic is None:
        return skipped(NOT_UP)
    settings = ctx.config.mode_settings
    base, others = traffic[0], traffic[1:]
    shares = {t.name: 1 - len(t.differing) / max(1, len(t.samples)) for t in others}
    details = {"variants": {t.name: {"label": t.label, **t.figures} for t in traffic},
               "tolerance": settings.tolerance, "requests": settings.requests}
    worst = min(shares, key=shares.get)
    if shares[worst] < settings.min_agreement:
        bad = next(t for t in others if t.name == worst)
        return violation(f"{bad.label} answered {len(bad.differing)} of {len(bad.samples)} requests "
                         f"differently from the baseline; first: {bad.differing[0][1]}",
                         measured=round(shares[worst], 4), limit=settings.min_agreement, unit="agreeing",
                         details=details)
    said = ", ".join(f"{t.label}: {shares[t.name]:.0%}" for t in others)
    return passed(f"{len(base.samples)} requests each; answers agreeing with the baseline: {said}",
                  measured=round(shares[worst], 4), limit=settings.min_agreement, unit="agreeing",
                  details=details)
