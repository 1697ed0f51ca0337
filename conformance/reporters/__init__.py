"""Reporters read a RunReport (and events); they never run anything."""
from __future__ import annotations

import importlib
from pathlib import Path

WRITERS = {"json": "json_report", "junit": "junit", "html": "html", "markdown": "markdown",
           "evidence": "evidence"}


def write_reports(report, targets: list[tuple[str, Path]]) -> list[str]:
    """Write each (format, path); a path that cannot be written is returned as a problem
    and the others are still written."""
    problems = []
    for fmt, path in targets:
        writer = importlib.import_module(f"{__name__}.{WRITERS[fmt]}")
        try:
            writer.write(report, path)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
    return problems
