"""SageMaker ML instance types -> vCPUs, memory and CPU architecture, applied to the
container as Docker limits. Numbers: the EC2 instance-type specifications that the
SageMaker instance types share (aws.amazon.com/ec2/instance-types and
aws.amazon.com/sagemaker/pricing); Graviton families per contract.md image.arch (GRAV)."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

GIB = 1024**3


@dataclass(frozen=True)
class InstanceSpec:
    name: str
    vcpus: int
    memory_gib: float
    arch: str  # docker's Architecture value: amd64 | arm64


_TABLE = {
    "ml.t2.medium": (2, 4), "ml.t2.large": (2, 8), "ml.t2.xlarge": (4, 16),
    "ml.m5.large": (2, 8), "ml.m5.xlarge": (4, 16), "ml.m5.2xlarge": (8, 32),
    "ml.m5.4xlarge": (16, 64), "ml.m5.12xlarge": (48, 192), "ml.m5.24xlarge": (96, 384),
    "ml.c5.large": (2, 4), "ml.c5.xlarge": (4, 8), "ml.c5.2xlarge": (8, 16),
    "ml.c5.4xlarge": (16, 32), "ml.c5.9xlarge": (36, 72), "ml.c5.18xlarge": (72, 144),
    "ml.r5.large": (2, 16), "ml.r5.xlarge": (4, 32), "ml.r5.2xlarge": (8, 64),
    "ml.g4dn.xlarge": (4, 16), "ml.g4dn.2xlarge": (8, 32), "ml.g5.xlarge": (4, 16),
    "ml.g5.2xlarge": (8, 32), "ml.p3.2xlarge": (8, 61), "ml.inf2.xlarge": (4, 16),
    "ml.c6g.large": (2, 4), "ml.c6g.xlarge": (4, 8), "ml.c7g.large": (2, 4),
    "ml.c7g.xlarge": (4, 8), "ml.m6g.large": (2, 8), "ml.m6g.xlarge": (4, 16),
    "ml.r6g.large": (2, 16), "ml.r6g.xlarge": (4, 32),
}
# Graviton families run arm64 images (contract.md image.arch, source GRAV).
_GRAVITON = ("c6g", "c6gd", "c6gn", "c7g", "c8g", "m6g", "m6gd", "m8g", "r6g", "r6gd",
             "r7gd", "r8g")


def lookup_instance(name: str) -> InstanceSpec:
    if name not in _TABLE:
        raise UsageError(f"unknown instance type {name!r}",
                         "known: " + ", ".join(sorted(_TABLE)) + "; or set --cpus/--memory")
    vcpus, mem = _TABLE[name]
    family = name.split(".")[1]
    return InstanceSpec(name, vcpus, float(mem), "arm64" if family in _GRAVITON else "amd64")


def known_instance_types() -> list[str]:
    return sorted(_TABLE)
