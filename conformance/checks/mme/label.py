"""mme.label: the image declares that it serves multiple models.
Source: contract.md mme.label (MME-BUILD)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import MME
from ...model import Outcome, Phase, Severity, passed, violation

MULTI_MODELS_LABEL = "com.amazonaws.sagemaker.capabilities.multi-models"


@check(id="mme.label", title="The image carries multi-models=true", severity=Severity.MUST,
       phase=Phase.STATIC, modes=MME,
       source="contract.md mme.label (AWS guide build-multi-model-build-container: the label declares "
              "that the container supports multi-model endpoints)",
       remediation=f"Add `LABEL {MULTI_MODELS_LABEL}=true` to the Dockerfile.")
def label(ctx: CheckContext) -> Outcome:
    value = (ctx.image_config.get("Labels") or {}).get(MULTI_MODELS_LABEL)
    if value != "true":
        found = "is missing" if value is None else f"is {value!r}"
        return violation(f"the label {MULTI_MODELS_LABEL} {found}; it must be \"true\"",
                         measured=value or "missing", limit="true")
    return passed(f"{MULTI_MODELS_LABEL}=true", measured="true", limit="true")
