"""component.memory: no copy is killed for memory in its slice, through the whole run
(after every serving check has sent its traffic). Source: API-SM
InferenceComponentComputeResourceRequirements."""
from __future__ import annotations

from .. import check
from ..serverless.memory import MIB, _used_bytes
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, undecided, violation, within
from .copies import MODE, copy_state


@check(id="component.memory", title="No copy runs out of memory in its slice", severity=Severity.MUST,
       phase=Phase.DESTRUCTIVE, priority=95, needs_healthy=False, modes=(MODE,),
       source="API-SM InferenceComponentComputeResourceRequirements (MinMemoryRequiredInMb, "
              "MaxMemoryRequiredInMb; how the platform enforces them is not documented: our policy caps a "
              "copy at the maximum, else the minimum)",
       remediation="Start as many workers as the copy has cores (read cpu.max in /sys/fs/cgroup, cpu/cpu.cfs_quota_us on cgroup v1, not "
                   "os.cpu_count(), which counts the host's), load the model once per worker that fits, "
                   "or raise MinMemoryRequiredInMb.")
def memory(ctx: CheckContext) -> Outcome:
    found = ctx.containers() if ctx.containers is not None else []
    if not found:
        return undecided("no copies were started")
    limit_mb = ctx.config.mode_settings.slice_mb
    killed, used, other = [], {}, []
    for name, member in found:
        state, raw = copy_state(member.container)
        if state == "killed for memory":
            killed.append(f"{name} (OOMKilled={str(bool(raw.get('OOMKilled'))).lower()}, exit code {raw.get('ExitCode')})")
        elif raw.get("oom_kills"):   # a worker killed, the copy serving on with fewer
            killed.append(f"{name} ({raw['oom_kills']} process(es) killed for memory, the copy runs on)")
        elif state == "running":
            figure = _used_bytes(member.container)
            if figure is not None:
                used[name] = round(figure / MIB, 1)
        else:
            other.append(f"{name}: {state}")
    details = {"used_mib": used, "killed": killed, "slice_mb": limit_mb}
    if killed:
        return violation(f"{len(killed)} of {len(found)} copies killed for memory at their {limit_mb} MB slice: "
                         + ", ".join(killed), measured="killed (OOM)", limit=f"{limit_mb} MB", details=details)
    if other or len(used) < len(found):
        return undecided("could not read every copy's memory: " + ("; ".join(other) or "Docker gave no figures"))
    top = max(used.values())
    return within(top, limit_mb, "MiB", f"largest copy uses {top} MiB of its {limit_mb} MB slice "
                  f"({', '.join(f'{n} {v} MiB' for n, v in used.items())})", details)
