"""A team's own rule, checked with the built-in ones: every image we deploy says where its
source lives (the OCI label org.opencontainers.image.source), so an on-call engineer can
find the code behind a failing endpoint."""
from __future__ import annotations

from conformance.checks import check
from conformance.engine.context import CheckContext
from conformance.model import Mode, Outcome, Phase, Severity, passed, violation

LABEL = "org.opencontainers.image.source"


@check(id="org.image.source-label", title="the image names its source repository",
       severity=Severity.MUST, phase=Phase.STATIC, modes=(Mode.SERVE, Mode.TRAIN),
       source="our deployment policy; label from the OCI image spec (annotations.md)",
       remediation=f'Add `LABEL {LABEL}="https://github.com/OWNER/REPO"` to the Dockerfile.')
def source_label(ctx: CheckContext) -> Outcome:
    labels = ctx.image_config.get("Labels") or {}
    value = labels.get(LABEL, "").strip()
    if value:
        return passed(f"{LABEL}={value}")
    return violation(f"the image has no {LABEL} label (labels: {sorted(labels) or 'none'})")
