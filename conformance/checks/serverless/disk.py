"""serverless.disk: what the container wrote to its own filesystem fits the 5 GB of
ephemeral disk a serverless endpoint has. Measured as Docker's SizeRw (the bytes in the
container's writable layer) after every other check; mounts are not counted.
Source: contract.md serverless.disk (SLS: 5 GB of ephemeral disk whatever the memory)."""
from __future__ import annotations

import docker

from .. import check
from ...engine.context import CheckContext
from ...contract import SERVERLESS_DISK_BYTES as DISK_LIMIT_BYTES
from ...model import Mode, Outcome, Phase, Severity, undecided, within

MIB = 1024 * 1024


@check(id="serverless.disk", title="Writes fit the 5 GB of ephemeral disk", severity=Severity.MUST,
       phase=Phase.DESTRUCTIVE, priority=96, needs_healthy=False, modes=(Mode.SERVERLESS,),
       source="contract.md serverless.disk (SLS: 5 GB ephemeral disk)",
       remediation="Keep downloads and caches small, delete what is no longer needed, and put "
                   "large files in the image or the model artefact instead of writing them at start.")
def disk(ctx: CheckContext) -> Outcome:
    if ctx.container is None:
        return undecided("no container was started")
    try:
        rows = ctx.container.client.api.containers(all=True, size=True, filters={"id": ctx.container.id})
    except docker.errors.DockerException as exc:
        return undecided(f"Docker did not report the container's size: {exc}")
    row = rows[0] if rows else {}
    # The engine leaves SizeRw out when it is 0 (omitempty), while SizeRootFs says the
    # size was computed: a container that wrote nothing.
    written = row.get("SizeRw", 0 if isinstance(row.get("SizeRootFs"), int) else None)
    if not isinstance(written, int):
        return undecided("Docker did not report the container's writable layer (SizeRw)")
    return within(round(written / MIB, 1), round(DISK_LIMIT_BYTES / MIB), "MiB",
                  f"{written / MIB:.1f} MiB written to the container's own filesystem after the checks "
                  f"(limit {DISK_LIMIT_BYTES / MIB:g} MiB)", {"size_rw_bytes": written})
