"""--html: one self-contained file (inline CSS and SVG, no scripts, no network): verdict,
checks with measured vs limit and remediation, container logs of failures, and the
sections that modes and features add (the load run's plots, each model, each hop, each
fuzz finding), all rendered alike."""
from __future__ import annotations

from html import escape
from pathlib import Path
from ..model import Block, RunReport, Section, Status, Table
from . import plots
from .text import printable

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.incomplete{color:#b45309;margin-right:6px}
.verdict{display:inline-block;padding:4px 14px;border-radius:6px;font-weight:700;color:#fff;letter-spacing:.5px}
.v-pass{background:#1a7f37}.v-warn{background:#b7791f}.v-fail{background:#c62828}.v-error{background:#7b1fa2}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f6f8} .st{font-weight:700;white-space:nowrap} .id{font-family:ui-monospace,monospace;white-space:nowrap}
.pass{color:#1a7f37}.fail{color:#c62828}.warn{color:#b7791f}.skip{color:#6b7280}.error{color:#7b1fa2}
.fix{color:#4b5563;font-size:12px} pre{background:#0f172a;color:#e2e8f0;padding:10px;border-radius:6px;overflow:auto;font-size:12px;max-height:320px}
.meta{color:#4b5563} .cards{display:flex;gap:12px;flex-wrap:wrap} .card{border:1px solid #e3e6ea;border-radius:8px;padding:8px 14px}
.card b{display:block;font-size:18px} figure{margin:12px 0} figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#4b5563} .grid{stroke:#eef0f3} .axis{stroke:#9ca3af}
polyline{fill:none;stroke-width:2} .s0{stroke:#2563eb}.s1{stroke:#dc2626}.s2{stroke:#16a34a} .t0{fill:#2563eb}.t1{fill:#dc2626}.t2{fill:#16a34a}
.bar{fill:#60a5fa} .mark{stroke-width:1.5} .m1{stroke:#dc2626}.m2{stroke:#16a34a}
"""


def render(report: RunReport) -> str:
    env = report.environment
    counts = " · ".join(f"{sum(r.status is s for r in report.results)} {s.value}" for s in Status)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>sagemaker-conformance: {escape(report.image)} — {report.verdict}</title>"
             f"<style>{CSS}</style></head><body>",
             "<h1>sagemaker-conformance report</h1>",
             f"<p><span class='verdict v-{report.verdict}'>{report.verdict.upper()}</span>"
             f"<b class='incomplete'>{escape(report.incomplete_note)}</b> "
             f"<b>{escape(report.image)}</b> · mode {escape(report.mode)} · {counts} · "
             f"{report.duration_s:.1f} s</p>",
             f"<p class='meta'>run {escape(report.run_id)} · started {escape(report.started)} · tool "
             f"{escape(report.version)} · Docker {escape(str(env.get('docker_version', '?')))} · "
             f"{escape(str(env.get('instance_type', '')))} ({env.get('cpus', '?')} CPUs) · connection "
             f"{escape(str(env.get('connection', 'n/a')))}</p>",
             _problems(report), _checks_table(report), _logs(report)]
    parts += [_section(section) for section in report.sections]
    parts.append("</body></html>")
    return "\n".join(parts)


def _problems(report: RunReport) -> str:
    parts = []
    if report.error:
        parts.append(f"<p class='error'><b>Error:</b> {escape(printable(report.error))}</p>")
    not_judged = report.not_judged
    if not_judged:
        items = "".join(f"<li><span class='id'>{escape(r.id)}</span> ({r.status.value}): "
                        f"{escape(printable(r.message))}</li>" for r in not_judged)
        parts.append(f"<h2>MUST checks that could not run ({len(not_judged)})</h2><ul>{items}</ul>")
    return "".join(parts)


def _checks_table(report: RunReport) -> str:
    rows = []
    for r in report.results:
        measured = "" if r.measured is None else f"{r.measured} / {r.limit if r.limit is not None else '—'} {r.unit}"
        fix = "" if r.status in (Status.PASS, Status.SKIP) else f"<div class='fix'>fix: {escape(r.remediation)}</div>"
        rows.append(f"<tr><td class='id'>{escape(r.id)}</td><td>{r.severity.value}</td>"
                    f"<td class='st {r.status.value}'>{r.status.value}</td><td>{escape(measured)}</td>"
                    f"<td>{escape(printable(r.message))}{fix}<div class='fix'>source: {escape(r.source)}</div></td></tr>")
    return ("<h2>Checks</h2><table><thead><tr><th>check</th><th>sev</th><th>status</th>"
            "<th>measured / limit</th><th>message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _logs(report: RunReport) -> str:
    logs = next((r.logs for r in report.results if r.logs), "")
    return f"<h2>Container log (last lines, at the first failure)</h2><pre>{escape(printable(logs))}</pre>" if logs else ""


def _section(section: Section) -> str:
    """Any mode's or feature's section, rendered alike: figures, tables, charts, blocks."""
    parts = [f"<h2>{escape(section.title)}</h2>"]
    if section.figures:
        parts.append("<div class='cards'>" + "".join(
            f"<div class='card'>{escape(str(label))}<b>{escape(str(value))}</b></div>"
            for label, value in section.figures) + "</div>")
    elif section.summary:
        parts.append(f"<p>{escape(printable(section.summary))}</p>")
    parts += [_table(t) for t in section.tables]
    parts += [plots.chart(c) for c in section.charts]
    parts += [_block(b) for b in section.blocks]
    return "".join(parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(printable(str(cell)))}</td>" for cell in row) + "</tr>"
                   for row in table.rows)
    title = f"<h3><span class='id'>{escape(table.title)}</span></h3>" if table.title else ""
    return f"{title}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _block(block: Block) -> str:
    link = ""
    if block.attachment:
        name, data = block.attachment
        link = (f" — <a download='{escape(name)}' href='data:application/octet-stream;base64,{escape(data)}'>"
                f"download {escape(name)}</a>")
    pre = f"<pre>{escape(printable(block.pre))}</pre>" if block.pre else ""
    return f"<h3>{escape(block.title)}</h3><p>{escape(printable(block.text))}{link}</p>{pre}"


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
