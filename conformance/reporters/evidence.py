"""--certify: the evidence of a run beside its reports: evidence.json (what was checked,
by which tool and rule set, with which command, and the verdict) and container.log (the
last log lines of what the run started, taken before it was removed)."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..model import RunReport


def rules_digest() -> str:
    """A digest of the rule set this tool judges by: every check's id, severity, modes and
    source, and every platform limit (contract.py): equal digests, equal rules."""
    from .. import contract, registry
    rules = [(s.id, s.severity.value, sorted(s.modes), s.source) for s in registry.all_checks()]
    limits = sorted((name, repr(limit)) for name, limit in contract.LIMITS.items())
    return hashlib.sha256(json.dumps([rules, limits]).encode()).hexdigest()[:16]


def evidence(report: RunReport) -> dict:
    return {"tool": report.tool, "tool_version": report.version, "rules_digest": rules_digest(),
            "image": report.image, "image_id": report.environment.get("image_id"), "mode": report.mode,
            "run_id": report.run_id, "started": report.started, "command": sys.argv,
            "verdict": report.verdict, "complete": not report.not_judged,
            "must_not_run": [{"id": r.id, "reason": r.message} for r in report.not_judged],
            "error": report.error or None}


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(evidence(report), indent=2) + "\n")
    (path.parent / (path.stem.replace("evidence", "container", 1) + ".log")).write_text(report.container_log)
