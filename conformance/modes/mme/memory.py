"""The memory drill of --mode mme: a second container of the image, under --mme-memory,
is told to load one model under ever more ids until the server says it is full. Answering
507 is the contract: the platform then unloads unused models and retries (contract.md
mme.load; MME-API, MMS). Dying (the kernel's OOM kill) or any other answer is not."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import docker

from ...config import RunConfig
from ...engine import launcher
from ...engine.http import http_call
from ...engine.endpoint import beside
from ...engine.session import RunSession
from . import api
from ...contract import PING_LIMIT_S

MAX_LOADS = 64             # ids one model is loaded under before the drill gives up
DRILL_BUDGET_S = 600.0     # the whole drill, loads included
START_WAIT_S = 120.0       # the drill container's first healthy /ping


@dataclass
class MemoryDrill:
    outcome: str                     # full (507) | died | killed | refused | not-full | no-start
    limit_bytes: int
    loads: int = 0                   # loads answered 2xx before the outcome
    status: Optional[int] = None     # the answer that ended the drill
    detail: str = ""
    memory_bytes: Optional[int] = None   # the container's memory use when the drill ended
    retry_after_unload: Optional[int] = None   # a 507'd load retried after one unload
    ping_after: Optional[int] = None           # /ping once the drill ended (None: no answer)
    steps: list = field(default_factory=list)  # (load #, status, seconds, memory bytes)


def memory_drill(client: docker.DockerClient, config: RunConfig, session: RunSession,
                 launched, model, progress: Callable[[str], None] = lambda _: None) -> MemoryDrill:
    """`launched`: the main container's launch (network, connection, cpus); `model`: the
    MountedModel loaded again and again, under ids of its own."""
    limit = config.mode_settings.drill_memory
    ids = [hashlib.sha256(f"{session.run_id}:memory:{i}".encode()).hexdigest()[:32] for i in range(MAX_LOADS)]
    volumes = [f"{model.source}:{api.model_url(i)}:ro" for i in ids]
    limits = launcher.Limits(launched.limits.cpus, limit, f"memory drill {limit // 1024 ** 2} MiB")
    with beside(client, config, session, launched, "mme-memory", START_WAIT_S, progress,
                volumes=volumes, limits=limits) as (container, target, startup):
        if not startup.healthy:
            return MemoryDrill("no-start", limit, detail=f"{startup.start_error or startup.state} "
                                                         f"(under {limit // 1024 ** 2} MiB)")
        progress(f"memory drill: loading {model.name} under new ids until the server is full")
        return _fill(container, target.base_url, ids, limit, time.monotonic() + DRILL_BUDGET_S)


def _fill(container, base_url: str, ids: list, limit: int, deadline: float) -> MemoryDrill:
    drill = MemoryDrill("not-full", limit)
    for number, model_id in enumerate(ids, 1):
        if time.monotonic() > deadline:
            drill.detail = f"the drill's {DRILL_BUDGET_S:g} s ran out"
            break
        sample = api.load(base_url, model_id)
        drill.memory_bytes = memory_use(container)
        drill.steps.append((number, sample.status, round(sample.elapsed_s, 3), drill.memory_bytes))
        if sample.ok:
            drill.loads += 1
            continue
        drill.status = sample.status
        if sample.status == 507:
            drill.outcome = "full"
            unloaded = api.unload(base_url, ids[0])
            if unloaded.ok:
                drill.retry_after_unload = api.load(base_url, model_id).status
            return drill
        return _not_full(drill, container, sample, base_url)
    drill.detail = drill.detail or f"{drill.loads} loads all succeeded"
    return drill


def _not_full(drill: MemoryDrill, container, sample, base_url: str) -> MemoryDrill:
    """A load that neither succeeded nor answered 507: the container died, a process in it
    was OOM-killed (it lives on), or the server refused otherwise."""
    time.sleep(1.0)   # let the engine see the exit
    state = _state(container)
    answer = sample.error or f"{sample.status}"
    if not state.get("Running", False):
        drill.outcome = "died"
        drill.detail = (f"the container {'was OOM-killed and ' if state.get('OOMKilled') else ''}stopped "
                        f"(exit code {state.get('ExitCode')}) at load {drill.loads + 1}")
    elif state.get("OOMKilled"):
        drill.outcome = "killed"
        drill.ping_after = http_call(base_url, "GET", "/ping", read_timeout=PING_LIMIT_S).status
        drill.detail = (f"a process in the container was OOM-killed at load {drill.loads + 1}, which got "
                        f"{answer}; the container lives on (/ping then: {drill.ping_after or 'no answer'})")
    else:
        drill.outcome = "refused"
        drill.detail = sample.describe() + (f": {sample.body_head[:200].decode(errors='replace')}"
                                            if sample.body_head else "")
    return drill


def _state(container) -> dict:
    try:
        container.reload()
        return container.attrs.get("State", {})
    except docker.errors.DockerException:
        return {}


def memory_use(container) -> Optional[int]:
    """The container's memory use now, as the engine counts it (cgroup), or None."""
    try:
        stats = container.stats(stream=False, one_shot=True)
    except (docker.errors.DockerException, TypeError):
        return None
    return (stats.get("memory_stats") or {}).get("usage")
