"""--pipeline: 2-15 serving containers as one model (contract.md pipeline.size, API-SM
CreateModelInput.Containers), serial or direct (InferenceExecutionConfig.Mode)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ...config import ModeSettings
from ...contract import PIPELINE_SIZE_RANGE
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig


@dataclass(frozen=True)
class PipelineSettings(ModeSettings):
    mode: ClassVar[str] = "pipeline"
    reported_as: ClassVar[str] = "serve"
    takes_target: ClassVar[bool] = False
    others: tuple = ()          # the images after the first, in order
    execution: str = "serial"   # InferenceExecutionConfig.Mode: serial | direct

    def images(self, image: str) -> tuple:
        return (image, *self.others)

    def options(self) -> tuple:
        return (f"pipeline_{self.execution}",)

    def validate(self, config: "RunConfig") -> None:
        count = len(self.images(config.image))
        low, high = PIPELINE_SIZE_RANGE
        if not low <= count <= high:
            raise UsageError(f"a pipeline holds {low}-{high} containers, not {count}",
                             "IMAGE and each --pipeline IMAGE count (contract.md pipeline.size)")
        if self.execution not in ("serial", "direct"):
            raise UsageError(f"--pipeline-mode must be serial or direct, not {self.execution!r}")
