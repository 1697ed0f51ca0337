"""The training job's input files given by path (--hyperparameters, --metric-definitions,
--failure-hyperparameters), read as regular files only and checked against their shape,
declared once here as JSON Schemas with the limits of the API (contract.md
training.hyperparameters, training.metrics: API-SM CreateTrainingJobRequest.HyperParameters,
MetricDefinition)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

import jsonschema

from ...config import read_regular_file
from ...errors import UsageError

METRIC_DEFINITIONS = {
    "type": "array", "maxItems": 40,
    "items": {"type": "object", "required": ["Name", "Regex"],
              "properties": {"Name": {"type": "string", "minLength": 1, "maxLength": 255},
                             "Regex": {"type": "string", "minLength": 1, "maxLength": 500}}},
}
# Values may be any JSON: the tool writes them as the Python SDK does (JSON-encoded strings).
HYPERPARAMETERS = {"type": "object", "maxProperties": 100, "propertyNames": {"maxLength": 256}}


def read_metric_definitions(path: Optional[Path]) -> tuple:
    """A JSON list of {"Name": ..., "Regex": ...}, as CreateTrainingJob takes MetricDefinitions."""
    if path is None:
        return ()
    data = _read(path, "metric definitions", METRIC_DEFINITIONS, 'expected [{"Name": "...", "Regex": "..."}]')
    for item in data:
        try:
            re.compile(item["Regex"])
        except re.error as exc:
            raise UsageError(f"metric definitions {path}: the Regex of {item['Name']!r} does not "
                             f"compile: {exc}") from None
    return tuple((item["Name"], item["Regex"]) for item in data)


def read_json_object(path: Optional[Path], what: str) -> Optional[dict]:
    """A JSON object of hyperparameters (at most 100 keys of at most 256 characters)."""
    if path is None:
        return None
    return _read(path, what, HYPERPARAMETERS, 'expected a JSON object, e.g. {"epochs": 3}')


def _read(path: Path, what: str, schema: dict, hint: str):
    try:
        data = json.loads(read_regular_file(Path(path), what))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}", hint) from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = "".join(f"[{p!r}]" for p in error.absolute_path)
        raise UsageError(f"{what} {path}{where}: {error.message}", hint)
    return data
