"""pipeline.label: every image carries accept-bind-to-port=true.
Source: contract.md pipeline.label (MCE troubleshooting, PIPE)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import PIPELINE
from ...contract import BIND_TO_PORT_LABEL as CAPABILITY_LABEL
from ...engine.port_drill import labelled_bind_to_port
from ...model import Outcome, Phase, Severity, passed, violation


@check(id="pipeline.label", title="Every image carries accept-bind-to-port=true", severity=Severity.MUST,
       phase=Phase.STATIC, modes=PIPELINE, source="contract.md pipeline.label (MCE troubleshooting: "
       "\"does not contain required ...accept-bind-to-port=true Docker label(s)\"; PIPE)",
       remediation=f"Add `LABEL {CAPABILITY_LABEL}=true` to the Dockerfile, once the server listens "
                   "on SAGEMAKER_BIND_TO_PORT.")
def label(ctx: CheckContext) -> Outcome:
    images = ctx.config.pipeline_images
    missing = [f"container-{i} ({name})" for i, name in enumerate(images, 1)
               if not labelled_bind_to_port(ctx.images[name].get("Config") or {})]
    if missing:
        return violation(f"Your image does not contain required {CAPABILITY_LABEL}=true Docker label(s): "
                         f"{', '.join(missing)}", measured=len(missing), limit=0, unit="images without the label")
    return passed(f"all {len(images)} images carry {CAPABILITY_LABEL}=true", measured=len(images), unit="images")
