"""serverless.memory: the container starts and serves within MemorySizeInMB, a hard limit
(no swap); a container the kernel killed for memory is named so, with the OOM flag and
the exit code. Source: contract.md serverless.memory (API-SM ProductionVariantServerlessConfig, SLS)."""
from __future__ import annotations

import docker

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, undecided, violation, within

MIB = 1024 * 1024


@check(id="serverless.memory", title="Starts and serves within the memory size",
       severity=Severity.MUST, phase=Phase.DESTRUCTIVE, priority=95, needs_healthy=False,
       modes=(Mode.SERVERLESS,),
       source="contract.md serverless.memory (API-SM ProductionVariantServerlessConfig "
              "MemorySizeInMB 1024-6144, SLS)",
       remediation="Load a smaller model or a quantized one, load it once (one worker), or "
                   "choose a larger --memory-size.")
def memory(ctx: CheckContext) -> Outcome:
    limit_mb = ctx.config.mode_settings.memory_size_mb
    container = ctx.container
    if container is None:
        return undecided("no container was started")
    container.reload()
    state = container.attrs.get("State", {})
    oom, code, status = bool(state.get("OOMKilled")), state.get("ExitCode"), state.get("Status")
    if oom or (status == "exited" and code == 137):
        return violation(f"killed for memory at the {limit_mb} MB limit: OOMKilled={str(oom).lower()}, "
                         f"exit code {code}, container {status}", measured="killed (OOM)",
                         limit=f"{limit_mb} MB", details={"oom_killed": oom, "exit_code": code})
    if status != "running":
        return undecided(f"the container is {status} (exit code {code}), not killed for memory; "
                         f"see inference.startup")
    used = _used_bytes(container)
    if used is None:
        return undecided("Docker gave no memory figures for the container")
    return within(round(used / MIB, 1), limit_mb, "MiB", f"{used / MIB:.1f} MiB in use (page cache "
                  f"excluded) of {limit_mb} MB after the checks; never killed for memory",
                  {"used_bytes": used, "oom_killed": False})


def _used_bytes(container) -> int | None:
    """What `docker stats` shows: usage less the inactive page cache."""
    try:
        stats = container.stats(stream=False, one_shot=True).get("memory_stats") or {}
    except docker.errors.DockerException:
        return None
    usage = stats.get("usage")
    if usage is None:
        return None
    detail = stats.get("stats") or {}
    return usage - detail.get("inactive_file", detail.get("total_inactive_file", 0))
