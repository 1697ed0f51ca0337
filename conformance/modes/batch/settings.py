"""What --mode batch asks for, as CreateTransformJob would: a value left out (None) was
not set by the job, so the container's GET /execution-parameters or the defaults decide
(contract.md batch.execution-parameters, batch.defaults; API-SM CreateTransformJobRequest)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings
from ...errors import UsageError
from .split import mini_batches

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
        """Bad batch input is a usage error (exit 2) before any container starts: an empty or
        missing --input, values out of the API's ranges, a record larger than MaxPayloadInMB."""
        if not self.input.is_dir():
            raise UsageError(f"--input {self.input} is not a folder", "give the folder of the job's input files")
        if self.split_type not in SPLIT_TYPES:
            raise UsageError(f"--split-type must be one of {', '.join(SPLIT_TYPES)}")
        if self.strategy == "SingleRecord" and self.split_type == "None":
            raise UsageError("SingleRecord needs a --split-type other than None", "API-SM BatchStrategy")
        if self.max_payload_mb is not None and not 0 <= self.max_payload_mb <= 100:
            raise UsageError(f"--max-payload-mb must be 0-100, not {self.max_payload_mb}")
        if self.max_concurrent is not None and self.max_concurrent < 1:
            raise UsageError(f"--max-concurrent must be >= 1, not {self.max_concurrent}")
        if (self.max_concurrent or 1) * (self.max_payload_mb or 0) > PAYLOAD_TOTAL_MB:
            raise UsageError(f"--max-concurrent x --max-payload-mb must be <= {PAYLOAD_TOTAL_MB} (MB)")
        low, high = TIMEOUT_RANGE_S
        if not low <= self.timeout_s <= high:
            raise UsageError(f"--invocations-timeout must be {low:g}-{high:g} s, not {self.timeout_s:g}")
        if not 0 <= self.retries <= 3:
            raise UsageError(f"--invocations-max-retries must be 0-3, not {self.retries}")
        # Every file splits, and every record fits, with the job's values (or the defaults).
        mini_batches(self.input, self.split_type, self.strategy or DEFAULTS["BatchStrategy"],
                     DEFAULTS["MaxPayloadInMB"] if self.max_payload_mb is None else self.max_payload_mb)

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
