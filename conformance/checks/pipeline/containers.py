"""pipeline.label, pipeline.bind and pipeline.ping: each container of the pipeline.
Sources: contract.md pipeline.label (MCE troubleshooting, PIPE), pipeline.bind and
pipeline.safe-ports (PIPE, MCE; AWS container tests' range), pipeline.ping (PIPE)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...engine.pipeline import CAPABILITY_LABEL, SAFE_PORT_RANGE
from ...engine.sockets import read_listeners
from ...model import Mode, Outcome, Phase, Severity, passed, undecided, violation

PIPELINE = (Mode.PIPELINE,)


@check(id="pipeline.label", title="Every image carries accept-bind-to-port=true", severity=Severity.MUST,
       phase=Phase.STATIC, modes=PIPELINE, source="contract.md pipeline.label (MCE troubleshooting: "
       "\"does not contain required ...accept-bind-to-port=true Docker label(s)\"; PIPE)",
       remediation=f"Add `LABEL {CAPABILITY_LABEL}=true` to the Dockerfile, once the server listens "
                   "on SAGEMAKER_BIND_TO_PORT.")
def label(ctx: CheckContext) -> Outcome:
    images = ctx.config.pipeline_images
    missing = [f"container-{i} ({name})" for i, name in enumerate(images, 1)
               if ((ctx.images[name].get("Config") or {}).get("Labels") or {}).get(CAPABILITY_LABEL) != "true"]
    if missing:
        return violation(f"Your image does not contain required {CAPABILITY_LABEL}=true Docker label(s): "
                         f"{', '.join(missing)}", measured=len(missing), limit=0, unit="images without the label")
    return passed(f"all {len(images)} images carry {CAPABILITY_LABEL}=true", measured=len(images), unit="images")


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


@check(id="pipeline.ping", title="Every container passes /ping", severity=Severity.MUST,
       phase=Phase.STARTUP, priority=61, needs_healthy=False, modes=PIPELINE,
       source="contract.md pipeline.ping (PIPE troubleshooting: the error lists the containers that failed)",
       remediation="Make every container answer GET /ping with 200 on its own port.")
def ping(ctx: CheckContext) -> Outcome:
    failed = [m for m in ctx.pipeline.members if m.startup is None or not m.startup.healthy]
    if failed:
        names = "; ".join(f"{m.hostname} ({m.image}): {m.startup.state if m.startup else 'not started'}"
                          for m in failed)
        return violation(f"{len(failed)} of {len(ctx.pipeline.members)} containers did not pass /ping: {names}",
                         measured=len(failed), limit=0, unit="containers")
    times = ", ".join(f"{m.hostname} {m.startup.elapsed_s:.2f} s" for m in ctx.pipeline.members)
    return passed(f"every container answered 200 ({times})", measured=len(ctx.pipeline.members), unit="containers")
