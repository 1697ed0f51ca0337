"""mme.memory: under memory pressure a load answers 507, so the platform can unload unused
models and retry; dying (OOM-killed) or any other answer takes the instance down or loses
the request. The drill runs its own container under --mme-memory.
Source: contract.md mme.load (MME-API: "return 507 ... when a model cannot be loaded due to
insufficient memory or any other resource"; MMS)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import MME
from ...model import Outcome, Phase, Severity, passed, skipped, violation


def _mib(size) -> str:
    return "?" if size is None else f"{size / 1024 ** 2:.0f} MiB"


@check(id="mme.memory", title="Out of memory, a load answers 507 (and the server lives)",
       severity=Severity.SHOULD, phase=Phase.DESTRUCTIVE, modes=MME,
       source="contract.md mme.load (AWS guide mms-container-apis: the load API \"should return\" 507 "
              "when memory or another resource is short; SageMaker then unloads unused models. SHOULD: "
              "AWS's own multi-model-server 1.1.11 loses a worker to the OOM killer instead, measured)",
       remediation="Before loading, compare the model's needs with the memory left (the cgroup's "
                   "memory.max and memory.current) and answer 507 instead of loading into an OOM kill.")
def memory(ctx: CheckContext) -> Outcome:
    drill = ctx.mme_memory()
    limit = _mib(drill.limit_bytes)
    details = {"outcome": drill.outcome, "loads": drill.loads, "memory_bytes": drill.memory_bytes,
               "limit_bytes": drill.limit_bytes, "retry_after_unload": drill.retry_after_unload, "ping_after": drill.ping_after,
               "steps": [dict(zip(("load", "status", "latency_s", "memory_bytes"), s)) for s in drill.steps]}
    if drill.outcome == "full":
        retry = ("; after one unload the same load got " + str(drill.retry_after_unload)
                 if drill.retry_after_unload is not None else "")
        return passed(f"507 at load {drill.loads + 1} under {limit} (memory in use {_mib(drill.memory_bytes)})"
                      + retry, measured=507, limit=507, details=details)
    if drill.outcome == "killed":
        return violation(f"{drill.detail}; {drill.loads} loads under {limit} succeeded first, none answered 507",
                         measured="OOM-killed", limit=507, details=details)
    if drill.outcome == "died":
        return violation(f"{drill.detail} under {limit}, instead of answering 507 ({drill.loads} loads "
                         f"succeeded first)", measured="died", limit=507, details=details)
    if drill.outcome == "refused":
        return violation(f"out of memory under {limit} after {drill.loads} loads, the server answered "
                         f"{drill.status}, not 507: {drill.detail}", measured=drill.status, limit=507,
                         details=details)
    if drill.outcome == "no-start":
        return skipped(f"the drill's container did not become healthy: {drill.detail}; give "
                       "--mme-memory more room")
    return skipped(f"memory never ran short: {drill.detail}, {_mib(drill.memory_bytes)} of {limit} in use; "
                   "give a smaller --mme-memory or a larger model")
