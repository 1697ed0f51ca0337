"""Rules read from the image's metadata alone (docker image inspect)."""
from __future__ import annotations

import re

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, violation

ROOT_USERS = ("", "root", "0", "0:0", "root:root", "root:0", "0:root")
AWS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")
SECRET_NAMES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID")


@check(id="image.arch", title="Image architecture matches the instance type",
       severity=Severity.MUST, phase=Phase.STATIC, modes=(Mode.SERVE, Mode.TRAIN, Mode.MME, Mode.PIPELINE), each_container=True,
       source="contract.md image.arch (AWS guide: realtime-endpoints-graviton): arm64 for "
              "Graviton instance families, x86_64 for the rest",
       remediation="Build for the instance's architecture: docker buildx build --platform "
                   "linux/arm64 (Graviton) or linux/amd64, or pick a matching instance type.")
def architecture(ctx: CheckContext) -> Outcome:
    image_arch = ctx.image_attrs.get("Architecture", "unknown")
    wanted = ctx.config.instance.arch
    text = f"image is {image_arch}, {ctx.config.instance_type} runs {wanted}"
    if image_arch == wanted:
        return passed(text, measured=image_arch, limit=wanted)
    return violation(text, measured=image_arch, limit=wanted)


@check(id="image.user.root", title="Container runs as root",
       severity=Severity.SHOULD, phase=Phase.STATIC, modes=(Mode.SERVE, Mode.MME, Mode.PIPELINE), each_container=True,
       source="contract.md image.user.root (AWS guide your-algorithms-inference-code: SageMaker "
              "AI expects all containers to run with root users)",
       remediation="Remove the USER instruction (or USER root); non-root users can hit "
                   "permission problems on the paths SageMaker mounts.")
def runs_as_root(ctx: CheckContext) -> Outcome:
    user = ctx.image_config.get("User") or ""
    if user in ROOT_USERS:
        return passed("runs as root", measured=user or "root", limit="root")
    return violation(f"USER is {user!r}, not root", measured=user, limit="root")


@check(id="image.credentials", title="No AWS credentials baked into ENV",
       severity=Severity.MUST, phase=Phase.STATIC, modes=(Mode.SERVE, Mode.TRAIN, Mode.MME, Mode.PIPELINE), each_container=True,
       source="our security policy (ISO: no AWS credentials in the container; credentials come from the execution role at run time; "
              "contract.md image.network-isolation: no AWS credentials in the container)",
       remediation="Remove AWS keys from the Dockerfile's ENV (and rotate them); SageMaker "
                   "gives the container the execution role's credentials.")
def no_credentials(ctx: CheckContext) -> Outcome:
    findings = []
    for item in ctx.image_config.get("Env") or []:
        name, _, value = item.partition("=")
        if (name in SECRET_NAMES and value) or AWS_KEY_ID.search(value):
            findings.append(name)
    if findings:
        return violation(f"AWS credentials in ENV: {', '.join(sorted(set(findings)))}",
                         measured=len(findings), limit=0, unit="variables")
    return passed("no AWS credentials in ENV", measured=0, limit=0, unit="variables")
