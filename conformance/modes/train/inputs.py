"""The training job's input files given by path (--hyperparameters, --metric-definitions,
--failure-hyperparameters), read as regular files only and checked for their shape."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ...config import read_regular_file
from ...errors import UsageError


def read_metric_definitions(path: Optional[Path]) -> tuple:
    """A JSON list of {"Name": ..., "Regex": ...}, as CreateTrainingJob takes MetricDefinitions."""
    if path is None:
        return ()
    try:
        data = json.loads(read_regular_file(Path(path), "metric definitions"))
        found = tuple((item["Name"], item["Regex"]) for item in data)
        if not all(isinstance(name, str) and isinstance(regex, str) for name, regex in found):
            raise ValueError("each Name and Regex must be a string")
        return found
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read metric definitions {path}: {exc}",
                         'expected [{"Name": "...", "Regex": "..."}]') from None


def read_json_object(path: Optional[Path], what: str) -> Optional[dict]:
    if path is None:
        return None
    try:
        data = json.loads(read_regular_file(Path(path), what))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{what} {path} must hold a JSON object")
    return data
