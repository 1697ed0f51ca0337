"""pipeline.bind: each container listens on its SAGEMAKER_BIND_TO_PORT, any other port inside
SAGEMAKER_SAFE_PORT_RANGE. Source: contract.md pipeline.bind, pipeline.safe-ports."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import PIPELINE
from ...engine.port_drill import SAFE_PORT_RANGE
from ...engine.sockets import read_listeners
from ...model import Outcome, Phase, Severity, passed, undecided, violation


@check(id="pipeline.bind", title="Each container listens on its SAGEMAKER_BIND_TO_PORT, others in the safe range",
       severity=Severity.MUST, phase=Phase.STARTUP, priority=60, needs_healthy=False, modes=PIPELINE,
       source="contract.md pipeline.bind and pipeline.safe-ports (PIPE, MCE; range of AWS's container tests)",
       remediation="Read SAGEMAKER_BIND_TO_PORT (fall back to 8080 when absent) and listen there on "
                   "0.0.0.0; put any second port inside SAGEMAKER_SAFE_PORT_RANGE.")
def bind(ctx: CheckContext) -> Outcome:
    low, high = SAFE_PORT_RANGE
    wrong = []
    for member in ctx.pipeline.members:
        listeners = read_listeners(member.container)
        if listeners is None:
            return undecided(f"{member.hostname}: its socket table could not be read")
        ports = {l.port for l in listeners if not l.loopback}
        if member.port not in ports:
            seen = ", ".join(str(l) for l in listeners) or "nothing"
            wrong.append(f"{member.hostname} ({member.image}) does not listen on {member.port} "
                         f"(SAGEMAKER_BIND_TO_PORT); it listens on {seen}")
        stray = sorted(p for p in ports - {member.port} if not low <= p <= high)
        if stray:
            wrong.append(f"{member.hostname} also listens on {stray}, outside SAGEMAKER_SAFE_PORT_RANGE {low}-{high}")
    if wrong:
        return violation("; ".join(wrong), measured=len(wrong), limit=0, unit="containers off their port")
    ports = ", ".join(f"{m.hostname}: {m.port}" for m in ctx.pipeline.members)
    return passed(f"each container listens on its own port ({ports})", measured=len(ctx.pipeline.members),
                  unit="containers")
