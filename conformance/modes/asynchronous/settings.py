"""--mode async (contract.md §8, ASYNC, API-RT InvokeEndpointAsync): payloads up to 1 GB
from S3; InvocationTimeoutSeconds 1-3600, default 900; MaxConcurrentInvocationsPerInstance
1-1000; the response goes to S3, not back through InvokeEndpoint."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ...config import ModeSettings
from ...contract import (ASYNC_CONCURRENCY_RANGE, ASYNC_DEFAULT_TIMEOUT_S, ASYNC_MAX_PAYLOAD_BYTES,
                         ASYNC_TIMEOUT_RANGE_S)
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig


@dataclass(frozen=True)
class AsyncSettings(ModeSettings):
    mode: ClassVar[str] = "async"
    takes_target: ClassVar[bool] = False
    response_limited: ClassVar[bool] = False   # async writes the response to S3
    payload_bytes: int = ASYNC_MAX_PAYLOAD_BYTES    # the body async.payload streams from disk
    invocation_timeout_s: float = ASYNC_DEFAULT_TIMEOUT_S
    max_concurrent: int = 4                         # MaxConcurrentInvocationsPerInstance

    @property
    def invocation_limit_s(self) -> float:
        """InvocationTimeoutSeconds (contract.md async.timeout)."""
        return self.invocation_timeout_s

    def validate(self, config: "RunConfig") -> None:
        low, high = ASYNC_TIMEOUT_RANGE_S
        if not low <= self.invocation_timeout_s <= high:
            raise UsageError(f"--invocation-timeout must be {low:g}-{high:g} s, not "
                             f"{self.invocation_timeout_s:g}", "InvocationTimeoutSeconds")
        if not 1 <= self.payload_bytes <= ASYNC_MAX_PAYLOAD_BYTES:
            raise UsageError(f"--async-payload-size must be 1 byte to 1 GiB, not {self.payload_bytes}")
        low_c, high_c = ASYNC_CONCURRENCY_RANGE
        if not low_c <= self.max_concurrent <= high_c:
            raise UsageError(f"--max-concurrent-invocations must be {low_c}-{high_c}, not {self.max_concurrent}",
                             "MaxConcurrentInvocationsPerInstance")
