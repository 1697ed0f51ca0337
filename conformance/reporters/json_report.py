"""The JSON report; its JSON Schema ships beside this module (report.schema.json)."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..model import RunReport

SCHEMA_VERSION = "1.0.0"


def to_dict(report: RunReport) -> dict:
    statuses = [r.status.value for r in report.results]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": report.tool,
        "version": report.version,
        "run_id": report.run_id,
        "image": report.image,
        "mode": report.mode,
        "verdict": report.verdict,
        "strict": report.strict,
        "started": report.started,
        "duration_s": report.duration_s,
        "environment": report.environment,
        "summary": {s: statuses.count(s) for s in ("pass", "fail", "warn", "skip", "error")},
        **({"load": report.load} if report.load is not None else {}),
        "checks": [
            {"id": r.id, "title": r.title, "severity": r.severity.value, "status": r.status.value,
             "measured": r.measured, "limit": r.limit, "unit": r.unit, "message": r.message,
             "remediation": r.remediation, "source": r.source, "duration_s": r.duration_s,
             "details": r.details, "logs": r.logs}
            for r in report.results
        ],
    }


def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("report.schema.json").read_text())


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_dict(report), indent=2) + "\n")
