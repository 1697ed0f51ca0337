"""What --mode batch asks for, as CreateTransformJob would: a value left out (None) was
not set by the job, so the container's GET /execution-parameters or the defaults decide
(contract.md batch.execution-parameters, batch.defaults; API-SM CreateTransformJobRequest)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings

if TYPE_CHECKING:
    from ...config import RunConfig

DEFAULTS = {"MaxConcurrentTransforms": 1, "BatchStrategy": "MultiRecord", "MaxPayloadInMB": 6}
STRATEGY_ENV = {"MultiRecord": "MULTI_RECORD", "SingleRecord": "SINGLE_RECORD"}
SPLIT_TYPES = ("None", "Line", "RecordIO", "TFRecord")
TIMEOUT_RANGE_S = (1.0, 3600.0)     # ModelClientConfig.InvocationsTimeoutInSeconds
MAX_RETRIES = 3                     # ModelClientConfig.InvocationsMaxRetries 0-3
PAYLOAD_TOTAL_MB = 100              # MaxConcurrentTransforms x MaxPayloadInMB <= 100


@dataclass(frozen=True)
class BatchSettings(ModeSettings):
    mode: ClassVar[str] = "batch"
    takes_target: ClassVar[bool] = False
    input: Path
    output: Path
    split_type: str = "None"
    assemble_with: str = "None"
    strategy: Optional[str] = None          # MultiRecord | SingleRecord
    max_payload_mb: Optional[int] = None    # 0-100
    max_concurrent: Optional[int] = None
    timeout_s: float = 600.0
    retries: int = MAX_RETRIES

    @property
    def invocation_limit_s(self) -> float:
        """ModelClientConfig.InvocationsTimeoutInSeconds (contract.md batch.timeout: 600 s by default)."""
        return self.timeout_s

    @property
    def max_body_bytes(self) -> int:
        """MaxPayloadInMB when the job sets it (contract.md batch.payload), else 6 MiB."""
        return self.max_payload_mb * 1024 * 1024 if self.max_payload_mb else super().max_body_bytes

    def validate(self, config: "RunConfig") -> None:
        from .validate import validate_batch
        validate_batch(self)

    def environment(self) -> dict:
        """SAGEMAKER_BATCH always; the others only when the job sets them (contract.md batch.env)."""
        env = {"SAGEMAKER_BATCH": "true"}
        if self.max_payload_mb is not None:
            env["SAGEMAKER_MAX_PAYLOAD_IN_MB"] = str(self.max_payload_mb)
        if self.strategy is not None:
            env["SAGEMAKER_BATCH_STRATEGY"] = STRATEGY_ENV[self.strategy]
        if self.max_concurrent is not None:
            env["SAGEMAKER_MAX_CONCURRENT_TRANSFORMS"] = str(self.max_concurrent)
        return env

    def job_values(self) -> dict:
        return {key: value for key, value in (("MaxConcurrentTransforms", self.max_concurrent),
                                              ("BatchStrategy", self.strategy),
                                              ("MaxPayloadInMB", self.max_payload_mb)) if value is not None}
