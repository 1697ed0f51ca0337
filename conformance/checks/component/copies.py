"""component.copies: every copy of the inference component starts, becomes healthy and
answers /invocations in its own compute slice, side by side with the others.
Source: API-SM CreateInferenceComponent (
RuntimeConfig.CopyCount, ComputeResourceRequirements)."""
from __future__ import annotations

import time

import docker

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, undecided, violation

MODE = "inference-component"
SOURCE = ("API-SM CreateInferenceComponent (RuntimeConfig.CopyCount copies, each with "
          "Specification.ComputeResourceRequirements); not in contract.md yet")


def oom_kills(container) -> int:
    """The engine's "oom" events of this container: each is a process the kernel killed
    for memory, also one the container outlives (Docker's State.OOMKilled stays false
    then, measured on cgroup v1)."""
    now = int(time.time())
    try:
        return sum(1 for _ in container.client.events(since=now - 86400, until=now + 1, decode=True,
                                                      filters={"container": container.id, "event": "oom"}))
    except docker.errors.DockerException:
        return 0


def copy_state(container) -> tuple[str, dict]:
    """('running' | 'killed for memory' | 'running, N process(es) killed for memory' |
    'exited (code N)', the engine's State with "oom_kills")."""
    try:
        container.reload()
    except docker.errors.DockerException:   # removed already
        return "gone", {}
    state = dict(container.attrs.get("State", {}), oom_kills=oom_kills(container))
    if state.get("OOMKilled") or (state.get("Status") == "exited" and state.get("ExitCode") == 137):
        return "killed for memory", state
    if state.get("Status") != "running":
        return f"{state.get('Status')} (exit code {state.get('ExitCode')})", state
    if state["oom_kills"]:
        return f"running, {state['oom_kills']} process(es) killed for memory", state
    return "running", state


@check(id="component.copies", title="Every copy serves in its own slice", severity=Severity.MUST,
       phase=Phase.LIVE, priority=90, needs_healthy=False, modes=(MODE,), source=SOURCE,
       remediation="Size the server from the copy's own slice (the cgroup's cpu.max and memory.max, or cpu.cfs_quota_us on cgroup v1, "
                   "not os.cpu_count() or the host's memory): one worker per allotted core, and a "
                   "model that fits MinMemoryRequiredInMb.")
def copies(ctx: CheckContext) -> Outcome:
    found = ctx.containers() if ctx.containers is not None else []
    if not found:
        return undecided("no copies were started")
    rows, bad = [], []
    for name, member in found:
        startup = member.startup
        start = startup.state if startup is not None else "not started"
        answer = "-"
        if startup is not None and startup.healthy and member.has_payload:
            sample = member.probes.invoke()
            answer = sample.status or sample.error
            if not sample.ok:
                bad.append(f"{name}: /invocations -> {answer}")
        state, raw = copy_state(member.container)
        if start != "healthy":
            bad.append(f"{name}: {start}, now {state}")
        elif raw.get("oom_kills"):   # serving on, one worker short: not the copy it was sized as
            bad.append(f"{name}: healthy, but {state}")
        rows.append({"copy": name, "start": start, "invocation": answer, "state": state,
                     "healthy_after_s": round(startup.elapsed_s, 2) if startup is not None and startup.healthy else None})
    settings = ctx.config.mode_settings
    healthy = sum(r["start"] == "healthy" for r in rows)
    cores = f"{settings.cpu_cores:g} core" + ("" if settings.cpu_cores == 1 else "s")
    slice_text = f"{cores} and {settings.slice_mb} MB each"
    details = {"copies": rows}
    if bad:
        return violation(f"{len(bad)} of {len(rows)} copies failed ({slice_text}): " + "; ".join(bad),
                         measured=healthy, limit=len(rows), unit="healthy copies", details=details)
    return passed(f"{healthy} of {len(rows)} copies healthy with {slice_text}"
                  + ("" if ctx.has_payload else "; no --payload given, so none was invoked"),
                  measured=healthy, limit=len(rows), unit="healthy copies", details=details)
