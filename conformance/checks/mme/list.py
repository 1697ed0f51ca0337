"""mme.list: GET /models lists exactly the loaded models. mme.list.pagination: following
nextPageToken (as next_page_token) walks every loaded model once.
Source: contract.md mme.list (MME-API, MMS)."""
from __future__ import annotations

from typing import Optional

from .. import check
from ...engine.context import CheckContext
from . import API_SOURCE, MME
from ...model import Outcome, Phase, Severity, passed, skipped, violation

SOURCE = (f"contract.md mme.list ({API_SOURCE}: GET /models -> {{\"models\": [{{\"modelName\", "
          "\"modelUrl\"}}], \"nextPageToken\"}}; SageMaker passes the token back as next_page_token)")


def _wrong(listing, loaded: set, what: str) -> Optional[Outcome]:
    """A violation when `listing` failed or does not hold exactly the `loaded` ids."""
    missing, extra = sorted(loaded - set(listing.names)), sorted(set(listing.names) - loaded)
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"not loaded: {', '.join(map(str, extra))}"] if extra else [])
    if not listing.ok or parts:
        return violation(f"{what}: {listing.problem or '; '.join(parts)}", measured=len(listing.names),
                         limit=len(loaded), unit="models")
    return None


@check(id="mme.list", title="GET /models lists exactly the loaded models", severity=Severity.MUST,
       phase=Phase.LIVE, priority=12, modes=MME, source=SOURCE,
       remediation='Answer GET /models with {"models": [{"modelName": ..., "modelUrl": ...}]} '
                   "listing every loaded model_name and nothing else.")
def listing(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    if drill.listing is None:
        return skipped("the drill did not get to list the models")
    loaded = drill.loaded_ids
    wrong = _wrong(drill.listing, loaded, "GET /models does not list what is loaded")
    if wrong:
        return wrong
    return passed(f"lists the {len(loaded)} loaded models in {len(drill.listing.pages)} page(s)",
                  measured=len(loaded), limit=len(loaded), unit="models")


@check(id="mme.list.pagination", title="nextPageToken pages through every model once",
       severity=Severity.MUST, phase=Phase.LIVE, priority=13, modes=MME, source=SOURCE,
       remediation="Either list every model in one page, or return nextPageToken and continue from "
                   "next_page_token without repeating or dropping a model.")
def pagination(ctx: CheckContext) -> Outcome:
    drill = ctx.mme()
    if drill.paged is None:
        return skipped("pagination needs two loaded models: give --model NAME=PATH twice")
    paged, loaded = drill.paged, drill.loaded_ids
    wrong = _wrong(paged, loaded, "GET /models?limit=1, then each next_page_token")
    if wrong:
        return wrong
    if len(paged.pages) == 1:
        return passed(f"limit=1 is ignored: one page with all {len(loaded)} models and no token, "
                      "which SageMaker reads as the last page", measured=1, unit="pages")
    return passed(f"{len(paged.pages)} pages of limit=1 walk the {len(loaded)} models once",
                  measured=len(paged.pages), unit="pages")
