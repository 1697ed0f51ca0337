"""One call each to the /models API a multi-model container serves (contract.md mme.load,
mme.list, mme.get, mme.unload, mme.invoke; MME-API, MMS). Every call is bounded and
returns a sample, never raises."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import quote

from ...engine.http import HttpSample, http_call
from .settings import MODELS_ROOT

# A load may take as long as the platform lets a model download and load: 360 s
# (contract.md mme.load-timing; MME invoke page, API-RT ModelNotReadyException).
LOAD_TIMEOUT_S = 360.0
CALL_TIMEOUT_S = 60.0       # list, get, unload and invoke: the client's 60 s (mme.load-timing)
TARGET_MODEL_HEADER = "X-Amzn-SageMaker-Target-Model"   # contract.md mme.invoke (MME-API)
KEEP_BYTES = 256 * 1024     # a listing page or a model description is kept whole up to this


def model_url(model_id: str) -> str:
    return f"{MODELS_ROOT}/{model_id}/model"


def load(base_url: str, model_id: str) -> HttpSample:
    body = json.dumps({"model_name": model_id, "url": model_url(model_id)}).encode()
    return http_call(base_url, "POST", "/models", body=body, read_timeout=LOAD_TIMEOUT_S,
                     headers={"Content-Type": "application/json"}, keep_bytes=KEEP_BYTES)


def get(base_url: str, model_id: str) -> HttpSample:
    return http_call(base_url, "GET", f"/models/{quote(model_id)}", read_timeout=CALL_TIMEOUT_S,
                     keep_bytes=KEEP_BYTES)


def unload(base_url: str, model_id: str) -> HttpSample:
    return http_call(base_url, "DELETE", f"/models/{quote(model_id)}", read_timeout=CALL_TIMEOUT_S)


def invoke(base_url: str, model_id: str, target_model: str, body: bytes,
           content_type: str, accept: str) -> HttpSample:
    headers = {"Content-Type": content_type, "Accept": accept, TARGET_MODEL_HEADER: target_model}
    return http_call(base_url, "POST", f"/models/{quote(model_id)}/invoke", body=body,
                     headers=headers, read_timeout=CALL_TIMEOUT_S, keep_bytes=KEEP_BYTES)


def json_body(sample: HttpSample) -> Optional[object]:
    if sample.body_bytes > len(sample.body_head):
        return None   # cut off: not a document we can read
    try:
        return json.loads(sample.body_head)
    except ValueError:
        return None


@dataclass
class Listing:
    """Every page of GET /models, following nextPageToken as next_page_token. `limit` is
    MMS's page size; SageMaker itself sends none, so a server may ignore it (MME-API, MMS)."""
    pages: list = field(default_factory=list)     # HttpSample per page
    names: list = field(default_factory=list)     # modelName of every entry, in order
    problem: str = ""                             # why the listing is not what the API says

    @property
    def ok(self) -> bool:
        return not self.problem


MAX_PAGES = 100


def list_models(base_url: str, limit: Optional[int] = None) -> Listing:
    listing, token = Listing(), None
    while len(listing.pages) < MAX_PAGES:
        query = [f"limit={limit}"] if limit is not None else []
        query += [f"next_page_token={quote(token)}"] if token is not None else []
        page = http_call(base_url, "GET", "/models" + ("?" + "&".join(query) if query else ""),
                         read_timeout=CALL_TIMEOUT_S, keep_bytes=KEEP_BYTES)
        listing.pages.append(page)
        problem, names, token = _read_page(page)
        repeated = sorted(set(names) & set(listing.names))
        if repeated and not problem:
            problem = f"{page.path} repeats {repeated[0]} from an earlier page"
        listing.names += names
        if problem or token is None:
            listing.problem = problem
            return listing
    listing.problem = f"still a nextPageToken after {MAX_PAGES} pages"
    return listing


def _read_page(page: HttpSample) -> tuple[str, list, Optional[str]]:
    """(problem, names on the page, the next token or None)."""
    if not page.ok:
        return f"{page.describe()} (expected 200)", [], None
    document = json_body(page)
    models = document.get("models") if isinstance(document, dict) else None
    if not isinstance(models, list) or not all(isinstance(m, dict) for m in models):
        return f"{page.path}: the body is not {{\"models\": [{{\"modelName\", \"modelUrl\"}}, ...]}}", [], None
    names = [m.get("modelName") for m in models]
    token = document.get("nextPageToken")
    return "", names, (None if token in (None, "") else str(token))
