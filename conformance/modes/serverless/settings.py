"""--mode serverless: the serving contract within MemorySizeInMB (contract.md §9, SLS,
API-SM ProductionVariantServerlessConfig)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings
from ...contract import SERVERLESS_MAX_BODY_BYTES, SERVERLESS_MEMORY_SIZES_MB, SERVERLESS_STARTUP_WINDOW_S
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig

# A serverless endpoint's vCPUs are "proportional to memory" (contract.md serverless.memory);
# the ratio is not published (UNCONFIRMED): the tool gives 1 vCPU per 1024 MB, which is not
# harsher than the platform's smallest plausible share.
SERVERLESS_MB_PER_VCPU = 1024


@dataclass(frozen=True)
class ServerlessSettings(ModeSettings):
    mode: ClassVar[str] = "serverless"
    takes_target: ClassVar[bool] = False
    startup_window_s: ClassVar[Optional[float]] = SERVERLESS_STARTUP_WINDOW_S
    memory_size_mb: Optional[int] = None    # MemorySizeInMB

    @property
    def max_body_bytes(self) -> int:
        return SERVERLESS_MAX_BODY_BYTES

    def fixed_limits(self) -> Optional[tuple]:
        """The memory size is the hard limit, and the vCPUs follow it."""
        mb = self.memory_size_mb or 0
        return mb / SERVERLESS_MB_PER_VCPU, mb * 1024 * 1024, f"serverless {mb} MB"

    def validate(self, config: "RunConfig") -> None:
        """Serverless refuses what it does not support (contract.md serverless.exclusions,
        SLS); the tool refuses the options that would not mean anything there."""
        if self.memory_size_mb not in SERVERLESS_MEMORY_SIZES_MB:
            raise UsageError(f"--memory-size must be one of {', '.join(map(str, SERVERLESS_MEMORY_SIZES_MB))} "
                             f"(MB), not {self.memory_size_mb}", "MemorySizeInMB of ProductionVariantServerlessConfig")
        if config.network_isolation:
            raise UsageError("serverless endpoints do not support network isolation",
                             "contract.md serverless.exclusions (SLS): leave --network-isolation out")
        for given, name in ((config.memory, "--memory"), (config.cpus, "--cpus"), (config.target, "--target")):
            if given is not None:
                raise UsageError(f"{name} does not apply to --mode serverless",
                                 "serverless memory is --memory-size, its vCPUs follow it, and the tool "
                                 "starts the image itself")
