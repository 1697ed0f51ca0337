"""--baseline REPORT.json: an earlier report of this image (report.json, any schema version
that has its checks), read once when the options are resolved, and the bounds a
regression is judged by."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jsonschema

from ...errors import UsageError

# What the comparison reads of a report, declared once (the report's own schema has more).
READS = {
    "type": "object", "required": ["image", "mode", "checks"],
    "properties": {
        "image": {"type": "string"}, "mode": {"type": "string"}, "started": {"type": "string"},
        "checks": {"type": "array", "items": {
            "type": "object", "required": ["id", "status"],
            "properties": {"id": {"type": "string"}, "status": {"enum": ["pass", "fail", "warn", "skip", "error"]},
                           "unit": {"type": ["string", "null"]}, "severity": {"type": "string"}}}},
    },
}
LATENCY_UNITS = {"s": 1.0, "ms": 0.001}   # measured values where more is slower


@dataclass(frozen=True)
class Baseline:
    path: str
    image: str
    mode: str
    started: str = ""
    checks: dict = field(default_factory=dict)   # id -> {"status", "measured", "unit", "severity"}
    ratio: float = 1.5           # a latency worse than ratio x before (+ slack) regresses
    slack_s: float = 0.005

    def latency_s(self, check_id: str) -> Optional[float]:
        return seconds(self.checks.get(check_id, {}))


def seconds(check: dict) -> Optional[float]:
    """A check's measured value in seconds, when it is a latency (unit s or ms) and a number."""
    value, unit = check.get("measured"), check.get("unit")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or unit not in LATENCY_UNITS:
        return None
    return float(value) * LATENCY_UNITS[unit]


def read_baseline(path: Path, ratio: float, slack_ms: float) -> Baseline:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read --baseline {path}: {exc}", "give the report.json of an earlier run") from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(READS).iter_errors(data))
    if error is not None:
        where = "".join(f"[{p!r}]" for p in error.absolute_path)
        raise UsageError(f"--baseline {path}{where}: {error.message}", "give the report.json of an earlier run")
    if not data["checks"]:
        raise UsageError(f"--baseline {path} judged no check (its run ended: {data.get('error') or data.get('verdict')})",
                         "give the report of a run that checked the image")
    if ratio < 1 or slack_ms < 0:
        raise UsageError("--regression-ratio must be >= 1 and --regression-slack-ms >= 0")
    checks = {c["id"]: {k: c.get(k) for k in ("status", "measured", "unit", "severity")} for c in data["checks"]}
    return Baseline(str(path), data["image"], data["mode"], data.get("started", ""), checks, ratio, slack_ms / 1000)
