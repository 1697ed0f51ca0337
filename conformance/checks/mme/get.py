"""mme.get: GET /models/<name> describes a loaded model and answers 404 for one that is not.
Source: contract.md mme.get (MME-API)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import API_SOURCE, MME, seen
from ...modes.mme.api import json_body
from ...model import Outcome, Phase, Severity, passed, skipped, violation


def described_name(sample) -> object:
    """modelName of the answer: an object, or (as MMS answers) a list of one."""
    document = json_body(sample)
    if isinstance(document, list) and document:
        document = document[0]
    return document.get("modelName") if isinstance(document, dict) else None


@check(id="mme.get", title="GET /models/<name>: the model, or 404 when not loaded",
       severity=Severity.MUST, phase=Phase.LIVE, priority=14, modes=MME,
       source=f"contract.md mme.get ({API_SOURCE}: {{\"modelName\", \"modelUrl\"}}; 404 if not loaded)",
       remediation='Answer GET /models/<model_name> with {"modelName", "modelUrl"} for a loaded model '
                   "and 404 for any other name.")
def get(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    unknown = drill.get_never_loaded
    if unknown.status != 404:
        return violation(f"GET /models/{drill.never_loaded} (never loaded) got {seen(unknown)}, not 404: "
                         "the platform would take an unloaded model for a loaded one",
                         measured=unknown.status or unknown.error, limit=404)
    described = [m for m in drill.loaded if m.get is not None]
    if not described:
        return skipped("404 for a model never loaded, but no model loaded to describe (see mme.load)")
    wrong = [m for m in described if not m.get.ok or described_name(m.get) != m.model_id]
    if wrong:
        m = wrong[0]
        return violation(f"GET /models/{m.model_id} ({m.name}, loaded) got {seen(m.get)} with modelName "
                         f"{described_name(m.get)!r}", measured=m.get.status or m.get.error, limit=200)
    return passed(f"each of {len(described)} loaded models described; 404 for one never loaded",
                  measured=len(described), unit="models")
