"""component.workers: a copy's server starts as many workers as the copy has cores, not
as many as the host has: os.cpu_count() inside a container counts the host's CPUs, and
every worker holds its own model in the copy's memory. The process table is read with
`docker top`, as serverless.workers reads it. Source: API-SM
InferenceComponentComputeResourceRequirements NumberOfCpuCoresRequired."""
from __future__ import annotations

import math

from .. import check
from ...engine.context import CheckContext
from ..serverless.workers import worker_processes
from ...model import Outcome, Phase, Severity, undecided, within
from .copies import MODE


def _cores(cores: float) -> str:
    return f"{cores:g} core" + ("" if cores == 1 else "s")


@check(id="component.workers", title="Workers sized to the copy's cores, not the host's",
       severity=Severity.SHOULD, phase=Phase.LIVE, priority=91, modes=(MODE,),
       source="API-SM InferenceComponentComputeResourceRequirements (NumberOfCpuCoresRequired); the "
              "worker bound is our policy (gunicorn's 2 x cores + 1), harsher than any documented rule, so a SHOULD",
       remediation="Read the copy's cores from /sys/fs/cgroup/cpu.max (quota / period; cgroup v1: cpu.cfs_quota_us / cpu.cfs_period_us) or "
                   "os.sched_getaffinity, not os.cpu_count(); e.g. gunicorn --workers from that figure.")
def workers(ctx: CheckContext) -> Outcome:
    cores = ctx.config.mode_settings.cpu_cores
    allowed = 2 * math.ceil(cores) + 2   # gunicorn's advice, 2 x cores + 1, and its master
    found = worker_processes(ctx.container)
    if isinstance(found, str):
        return undecided(f"copy-1: {found}")
    command, count, commands = found
    return within(count, allowed, "processes", f"{count} processes run `{command[:120]}` in a copy of "
                  f"{_cores(cores)} (at most {allowed}: 2 x cores + 1 workers and a master)",
                  {"processes": dict(commands)})
