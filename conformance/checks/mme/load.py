"""mme.load: POST /models loads each model (2xx). mme.load.conflict: loading a loaded
model again answers 409. Source: contract.md mme.load, mme.load-timing (MME-API, MMS)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import API_SOURCE, MME, seen
from ...modes.mme.api import LOAD_TIMEOUT_S
from ...model import Outcome, Phase, Severity, passed, skipped, violation, within


@check(id="mme.load", title="POST /models loads every model (2xx)", severity=Severity.MUST,
       phase=Phase.LIVE, priority=10, modes=MME,
       source=f"contract.md mme.load, mme.load-timing ({API_SOURCE}: load the model at `url` and "
              "track it by `model_name`; download and load may take up to 360 s)",
       remediation='Serve POST /models with a JSON body {"model_name", "url"}: load the model from '
                   "`url`, keep it under `model_name`, answer 200.")
def load(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    failed = [m for m in drill.models if not m.load.ok]
    rows = drill.summary()
    if failed:
        text = "; ".join(f"{m.name}: POST /models -> {seen(m.load)}" for m in failed)
        return violation(f"{len(failed)} of {len(drill.models)} models did not load: {text}",
                         measured=len(failed), limit=0, unit="models", details={"models": rows})
    slowest = max(m.load.elapsed_s for m in drill.models)
    return within(round(slowest, 3), LOAD_TIMEOUT_S, "s",
                  f"{len(drill.models)} models loaded (slowest {slowest:.2f} s; the platform waits "
                  f"{LOAD_TIMEOUT_S:g} s)", details={"models": rows})


@check(id="mme.load.conflict", title="Loading a loaded model again answers 409", severity=Severity.MUST,
       phase=Phase.LIVE, priority=11, modes=MME,
       source=f"contract.md mme.load ({API_SOURCE}: if model_name is already loaded, return 409)",
       remediation="Answer 409 to POST /models for a model_name already loaded; do not load it twice.")
def conflict(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    tried = [m for m in drill.models if m.load_again is not None]
    if not tried:
        return skipped("no model loaded (see mme.load), so loading one again could not be tried")
    wrong = [m for m in tried if m.load_again.status != 409]
    if wrong:
        text = "; ".join(f"{m.name}: {seen(m.load_again)}" for m in wrong)
        return violation(f"a second POST /models for a loaded model got {text}, not 409",
                         measured=wrong[0].load_again.status or wrong[0].load_again.error, limit=409)
    return passed(f"409 for each of {len(tried)} models loaded again", measured=409, limit=409)
