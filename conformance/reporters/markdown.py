"""--markdown: the summary as GitHub-flavoured Markdown (the Action's job summary)."""
from __future__ import annotations

from pathlib import Path

from ..model import RunReport, Status
from .text import markdown_inline

ICON = {Status.PASS: "✅", Status.FAIL: "❌", Status.WARN: "⚠️", Status.SKIP: "⏭️", Status.ERROR: "💥"}


def _cell(text: object) -> str:
    return markdown_inline(text)


def render(report: RunReport) -> str:
    counts = ", ".join(f"{sum(r.status is s for r in report.results)} {s.value}" for s in Status)
    lines = [f"## SageMaker conformance: {_cell(report.image)} — **{report.verdict.upper()}**{report.incomplete_note}", "",
             f"{counts} in {report.duration_s:.1f} s (mode {report.mode}, run {report.run_id})", ""]
    if report.error:
        lines += [f"**Error:** {_cell(report.error)}", ""]
    not_judged = report.not_judged
    if not_judged:
        lines += [f"**MUST checks that could not run ({len(not_judged)}):**", ""]
        lines += [f"- `{r.id}` ({r.status.value}): {_cell(r.message)}" for r in not_judged] + [""]
    lines += ["| | check | sev | measured / limit | message |", "|---|---|---|---|---|"]
    for r in report.results:
        measured = "" if r.measured is None else f"{r.measured} / {r.limit if r.limit is not None else '—'} {r.unit}"
        lines.append(f"| {ICON[r.status]} | `{r.id}` | {r.severity.value} | {_cell(measured)} | {_cell(r.message)} |")
    broken = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR, Status.WARN)]
    if broken:
        lines += ["", "### How to fix", ""]
        lines += [f"- `{r.id}`: {_cell(r.remediation)} _(source: {_cell(r.source)})_" for r in broken]
    for section in report.sections:   # what modes and features add, rendered alike
        lines += ["", f"### {_cell(section.title)}", ""]
        if section.summary:
            lines += [_cell(section.summary)]
        for table in section.tables:
            lines += ["", *([f"`{_cell(table.title)}`", ""] if table.title else []),
                      "| " + " | ".join(_cell(c) for c in table.columns) + " |",
                      "|" + "---|" * len(table.columns)]
            lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
