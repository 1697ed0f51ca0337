"""The JSON report; its JSON Schema ships beside this module (report.schema.json)."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..model import RunReport

SCHEMA_VERSION = "2.0.0"   # 2.0: the load run moved from `load` to `sections.load.data`


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
        "headline": report.headline,
        "complete": not report.not_judged,
        "require_complete": report.require_complete,
        "error": report.error or None,
        "must_not_run": [{"id": r.id, "status": r.status.value, "reason": r.message}
                         for r in report.not_judged],
        "strict": report.strict,
        "started": report.started,
        "duration_s": report.duration_s,
        "environment": report.environment,
        "summary": {s: statuses.count(s) for s in ("pass", "fail", "warn", "skip", "error")},
        "sections": {s.key: {"title": s.title, "summary": s.summary, "data": s.data}
                     for s in report.sections},
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
    """Validated against its own schema first: a report that breaks it is a bug."""
    import jsonschema
    data = to_dict(report)
    jsonschema.validate(data, schema())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
