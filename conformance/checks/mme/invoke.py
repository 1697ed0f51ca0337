"""mme.invoke: POST /models/<name>/invoke runs the payload on that model (2xx within 60 s,
X-Amzn-SageMaker-Target-Model carrying the user's name) and answers 404 for a model not
loaded. Source: contract.md mme.invoke (MME-API; API-RT InvokeEndpoint 60 s)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import API_SOURCE, MME, seen
from ...modes.mme.api import CALL_TIMEOUT_S
from ...model import Outcome, Phase, Severity, skipped, violation, within


@check(id="mme.invoke", title="POST /models/<name>/invoke answers each model, 404 when not loaded",
       severity=Severity.MUST, phase=Phase.LIVE, priority=15, modes=MME,
       source=f"contract.md mme.invoke ({API_SOURCE}: 404 if not loaded; X-Amzn-SageMaker-Target-Model "
              "for logging)",
       remediation="Serve POST /models/<model_name>/invoke with the model loaded under that name, and "
                   "answer 404 when it is not loaded (the platform then loads it).")
def invoke(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    if drill.invoke_never_loaded is None:
        return skipped("no --payload: give a request body to invoke each model with")
    unknown = drill.invoke_never_loaded
    if unknown.status != 404:
        return violation(f"invoking model {drill.never_loaded} (never loaded) got {seen(unknown)}, not 404",
                         measured=unknown.status or unknown.error, limit=404)
    invoked = [m for m in drill.loaded if m.invoke is not None]
    if not invoked:
        return skipped("404 for a model never loaded, but no model loaded to invoke (see mme.load)")
    failed = [m for m in invoked if not m.invoke.ok]
    if failed:
        text = "; ".join(f"{m.name}: {seen(m.invoke)}" for m in failed)
        return violation(f"{len(failed)} of {len(invoked)} loaded models failed to answer: {text}",
                         measured=len(failed), limit=0, unit="models")
    slowest = max(m.invoke.elapsed_s for m in invoked)
    return within(round(slowest, 3), CALL_TIMEOUT_S, "s",
                  f"each of {len(invoked)} models answered 2xx (slowest {slowest:.3f} s); 404 for one "
                  "never loaded")
