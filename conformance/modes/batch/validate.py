"""Bad batch input is a usage error (exit 2) before any container starts: an empty or
missing --input, values out of the API's ranges, a record larger than MaxPayloadInMB."""
from __future__ import annotations

from ...errors import UsageError
from .settings import DEFAULTS, PAYLOAD_TOTAL_MB, SPLIT_TYPES, TIMEOUT_RANGE_S, BatchSettings
from .split import mini_batches


def validate_batch(settings: BatchSettings) -> None:
    if not settings.input.is_dir():
        raise UsageError(f"--input {settings.input} is not a folder", "give the folder of the job's input files")
    if settings.split_type not in SPLIT_TYPES:
        raise UsageError(f"--split-type must be one of {', '.join(SPLIT_TYPES)}")
    if settings.strategy == "SingleRecord" and settings.split_type == "None":
        raise UsageError("SingleRecord needs a --split-type other than None", "API-SM BatchStrategy")
    if settings.max_payload_mb is not None and not 0 <= settings.max_payload_mb <= 100:
        raise UsageError(f"--max-payload-mb must be 0-100, not {settings.max_payload_mb}")
    if settings.max_concurrent is not None and settings.max_concurrent < 1:
        raise UsageError(f"--max-concurrent must be >= 1, not {settings.max_concurrent}")
    if (settings.max_concurrent or 1) * (settings.max_payload_mb or 0) > PAYLOAD_TOTAL_MB:
        raise UsageError(f"--max-concurrent x --max-payload-mb must be <= {PAYLOAD_TOTAL_MB} (MB)")
    low, high = TIMEOUT_RANGE_S
    if not low <= settings.timeout_s <= high:
        raise UsageError(f"--invocations-timeout must be {low:g}-{high:g} s, not {settings.timeout_s:g}")
    if not 0 <= settings.retries <= 3:
        raise UsageError(f"--invocations-max-retries must be 0-3, not {settings.retries}")
    # Every file splits, and every record fits, with the job's values (or the defaults).
    mini_batches(settings.input, settings.split_type, settings.strategy or DEFAULTS["BatchStrategy"],
                 DEFAULTS["MaxPayloadInMB"] if settings.max_payload_mb is None else settings.max_payload_mb)
