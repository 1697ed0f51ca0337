"""serverless.workers: one worker, one model copy. The process table is read with
`docker top`; the largest group of identical command lines (a proxy's own workers
aside: they hold no model) is the worker count. Source: contract.md serverless.workers (SLS)."""
from __future__ import annotations

from collections import Counter

from .. import check
from ...engine.context import CheckContext
from ...engine.server_timeouts import command_lines
from ...model import Mode, Outcome, Phase, Severity, undecided, within

ALLOWED = 2            # a master and one worker share a command line (gunicorn, pre-forking servers)
PROXIES = ("nginx",)   # their workers only forward requests


@check(id="serverless.workers", title="One model worker", severity=Severity.SHOULD,
       phase=Phase.LIVE, priority=91, modes=(Mode.SERVERLESS,),
       source="contract.md serverless.workers (SLS: run one worker and load one model copy)",
       remediation="Start one worker (gunicorn --workers 1, MMS/TorchServe default_workers_per_model=1): "
                   "each worker loads its own copy of the model into the endpoint's memory.")
def workers(ctx: CheckContext) -> Outcome:
    found = worker_processes(ctx.container)
    if isinstance(found, str):
        return undecided(found)
    command, count, commands = found
    return within(count, ALLOWED, "processes", f"{count} processes run `{command[:120]}` "
                  f"({sum(commands.values())} processes in all, proxies aside)",
                  {"processes": dict(commands)})


def worker_processes(container) -> tuple[str, int, Counter] | str:
    """(the command line most processes run, how many, every command line counted),
    proxies aside; or why the process table could not be read."""
    lines = command_lines(container)
    if lines is None:
        return "could not read the process table (docker top)"
    commands = Counter(line for line in lines if not line.startswith(PROXIES))
    if not commands:
        return "no process found in the container"
    command, count = commands.most_common(1)[0]
    return command, count, commands
