"""The /models drill of --mode mme, run once per run and read by every mme.* check: load
each model, load it again, list (whole and page by page), get, invoke, unload, and look
again, while /ping is watched throughout (contract.md §6, MME-API). The model names sent
are the opaque ids the models are mounted under; the user's NAME only travels in
X-Amzn-SageMaker-Target-Model, as on the platform."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Optional

from ...engine.http import HttpSample
from . import api
from .monitor import PingMonitor, PingWatch


@dataclass
class ModelCalls:
    name: str                                    # as the user named it (TargetModel)
    model_id: str                                # what the API is told
    load: Optional[HttpSample] = None
    load_again: Optional[HttpSample] = None
    get: Optional[HttpSample] = None
    invoke: Optional[HttpSample] = None
    unload: Optional[HttpSample] = None
    get_after_unload: Optional[HttpSample] = None
    unload_again: Optional[HttpSample] = None


@dataclass
class MmeDrill:
    models: list                                 # ModelCalls, in the order given
    never_loaded: str                            # an id no one loaded
    get_never_loaded: Optional[HttpSample] = None
    invoke_never_loaded: Optional[HttpSample] = None
    listing: Optional[api.Listing] = None        # after every load
    paged: Optional[api.Listing] = None          # limit=1, token by token (2+ models)
    listing_after_unload: Optional[api.Listing] = None
    ping: PingWatch = field(default_factory=PingWatch)

    @property
    def loaded(self) -> list:
        return [m for m in self.models if m.load is not None and m.load.ok]

    @property
    def loaded_ids(self) -> set:
        return {m.model_id for m in self.loaded}

    def summary(self) -> list:
        """One row per model for the report: each call's status and latency."""
        rows = []
        for m in self.models:
            row = {"model": m.name, "id": m.model_id}
            for call in ("load", "load_again", "get", "invoke", "unload", "get_after_unload", "unload_again"):
                sample = getattr(m, call)
                if sample is not None:
                    row[call] = {"status": sample.status, "latency_s": round(sample.elapsed_s, 4),
                                 **({"error": sample.error} if sample.error else {})}
            rows.append(row)
        return rows


def run_drill(base_url: str, models: list, payload: Optional[bytes], content_type: str,
              accept: str, progress: Callable[[str], None] = lambda _: None) -> MmeDrill:
    """`models`: ((name, id), ...). Each step runs whatever the previous ones gave."""
    unknown = hashlib.sha256(("never-loaded:" + base_url).encode()).hexdigest()[:32]
    drill = MmeDrill([ModelCalls(name, model_id) for name, model_id in models], unknown)
    with PingMonitor(base_url) as watch:
        drill.ping = watch
        drill.get_never_loaded = api.get(base_url, unknown)
        if payload is not None:
            drill.invoke_never_loaded = api.invoke(base_url, unknown, "never-loaded.tar.gz",
                                                   payload, content_type, accept)
        for m in drill.models:
            progress(f"loading model {m.name} ({m.model_id})")
            m.load = api.load(base_url, m.model_id)
        for m in drill.loaded:
            m.load_again = api.load(base_url, m.model_id)
        drill.listing = api.list_models(base_url)
        if len(drill.loaded) >= 2:
            drill.paged = api.list_models(base_url, limit=1)
        _use_and_unload(drill, base_url, payload, content_type, accept, progress)
    return drill


def _use_and_unload(drill: MmeDrill, base_url: str, payload: Optional[bytes], content_type: str,
                    accept: str, progress: Callable[[str], None]) -> None:
    for m in drill.loaded:
        m.get = api.get(base_url, m.model_id)
        if payload is not None:
            progress(f"invoking model {m.name}")
            m.invoke = api.invoke(base_url, m.model_id, m.name, payload, content_type, accept)
    for m in drill.loaded:
        m.unload = api.unload(base_url, m.model_id)
    if drill.loaded:
        drill.listing_after_unload = api.list_models(base_url)
    for m in drill.loaded:
        m.get_after_unload = api.get(base_url, m.model_id)
        m.unload_again = api.unload(base_url, m.model_id)
