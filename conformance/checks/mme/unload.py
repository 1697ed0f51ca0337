"""mme.unload: DELETE /models/<name> unloads (2xx); the model is then gone from the list
and from GET, and a second DELETE answers 404. Source: contract.md mme.unload (MME-API)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import API_SOURCE, MME, seen
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(id="mme.unload", title="DELETE /models/<name> unloads; gone after, 404 again",
       severity=Severity.MUST, phase=Phase.LIVE, priority=16, modes=MME,
       source=f"contract.md mme.unload ({API_SOURCE}: free the model's resources; 404 if not loaded)",
       remediation="Serve DELETE /models/<model_name>: free the model, drop it from GET /models, and "
                   "answer 404 for a name that is not loaded.")
def unload(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    tried = [m for m in drill.loaded if m.unload is not None]
    if not tried:
        return skipped("no model loaded (see mme.load), so none could be unloaded")
    problems = [f"{m.name}: DELETE -> {seen(m.unload)}" for m in tried if not m.unload.ok]
    still = set(drill.listing_after_unload.names) if drill.listing_after_unload else set()
    problems += [f"{m.name}: still in GET /models after DELETE" for m in tried if m.model_id in still]
    problems += [f"{m.name}: GET /models/<name> -> {seen(m.get_after_unload)} after DELETE, not 404"
                 for m in tried if m.get_after_unload.status != 404]
    problems += [f"{m.name}: a second DELETE -> {seen(m.unload_again)}, not 404"
                 for m in tried if m.unload_again.status != 404]
    if problems:
        return violation("; ".join(problems), measured=len(problems), limit=0, unit="problems")
    return passed(f"each of {len(tried)} models unloaded: gone from the list and from GET, 404 on a second "
                  "DELETE", measured=len(tried), unit="models")
