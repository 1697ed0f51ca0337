"""--mode inference-component: copies of one model container on one instance, each with
the compute slice of ComputeResourceRequirements (API-SM CreateInferenceComponent:
Specification.ComputeResourceRequirements, RuntimeConfig.CopyCount)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig

# API-SM InferenceComponentComputeResourceRequirements: NumberOfCpuCoresRequired >= 0.25,
# MinMemoryRequiredInMb >= 128 (required), MaxMemoryRequiredInMb >= 128 (optional).
MIN_CPU_CORES = 0.25
MIN_MEMORY_MB = 128
MAX_COPIES = 8   # the tool's bound: every copy is a container on this machine


@dataclass(frozen=True)
class ComponentSettings(ModeSettings):
    mode: ClassVar[str] = "inference-component"
    takes_target: ClassVar[bool] = False
    copies: int = 2                       # RuntimeConfig.CopyCount
    cpu_cores: float = 1.0                # NumberOfCpuCoresRequired
    min_memory_mb: int = 1024             # MinMemoryRequiredInMb
    max_memory_mb: Optional[int] = None   # MaxMemoryRequiredInMb

    @property
    def slice_mb(self) -> int:
        """Each copy's hard memory limit. The platform guarantees the minimum and documents
        no enforcement of either figure (UNCONFIRMED): the tool caps a copy at the maximum
        when one is given, else at the minimum, which is never less than it guarantees."""
        return self.max_memory_mb or self.min_memory_mb

    def fixed_limits(self) -> Optional[tuple]:
        return (self.cpu_cores, self.slice_mb * 1024 * 1024,
                f"inference component copy: {self.cpu_cores:g} cores, {self.slice_mb} MB")

    def validate(self, config: "RunConfig") -> None:
        if not 1 <= self.copies <= MAX_COPIES:
            raise UsageError(f"--copies must be 1-{MAX_COPIES}, not {self.copies}",
                             "each copy is a container on this machine (RuntimeConfig.CopyCount)")
        if self.cpu_cores < MIN_CPU_CORES:
            raise UsageError(f"--cpu-cores must be at least {MIN_CPU_CORES}, not {self.cpu_cores:g}",
                             "NumberOfCpuCoresRequired (API-SM InferenceComponentComputeResourceRequirements)")
        if self.min_memory_mb < MIN_MEMORY_MB:
            raise UsageError(f"--min-memory-mb must be at least {MIN_MEMORY_MB}, not {self.min_memory_mb}",
                             "MinMemoryRequiredInMb (API-SM InferenceComponentComputeResourceRequirements)")
        if self.max_memory_mb is not None and self.max_memory_mb < self.min_memory_mb:
            raise UsageError(f"--max-memory-mb {self.max_memory_mb} is below --min-memory-mb {self.min_memory_mb}")
        instance = config.instance
        if self.copies * self.cpu_cores > instance.vcpus or self.copies * self.min_memory_mb > instance.memory_gib * 1024:
            raise UsageError(f"{self.copies} copies of {self.cpu_cores:g} cores and {self.min_memory_mb} MB do not "
                             f"fit on {instance.name} ({instance.vcpus} vCPUs, {instance.memory_gib:g} GiB)",
                             "the platform cannot place them there: fewer copies, smaller slices or a "
                             "larger --instance-type")
        for given, name in ((config.memory, "--memory"), (config.cpus, "--cpus")):
            if given is not None:
                raise UsageError(f"{name} does not apply to --mode inference-component",
                                 "each copy gets --cpu-cores and --min/--max-memory-mb")
