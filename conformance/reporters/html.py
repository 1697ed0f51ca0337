"""--html: one self-contained file (inline CSS and SVG, no scripts, no network), from the
Jinja2 template templates/report.html.j2 with autoescaping on (only the SVG that plots.py
builds is marked safe). The first screen says what failed (each check: measured vs
limit, message, fix, source) and what did not run (one line per reason); then the
container log, the sections that modes and features add (the load run's plots, each
model, each hop, each fuzz finding), every check that did not pass, and the passes
folded into a <details>. A section's `exports` (locust's own report) are written beside."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..model import PROBLEMS, STATUS_ORDER, RunReport, Status, not_run_groups
from . import plots
from .text import printable

_URL = re.compile(r"^(https://\S+)")

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.incomplete{color:#b45309;margin-right:6px} .head{font-size:15px}
.problem{border-left:5px solid #c62828;background:#fdf3f3;padding:8px 12px;margin:8px 0;border-radius:4px}
.problem.warn{border-color:#b7791f;background:#fdf8ee}.problem.error{border-color:#7b1fa2;background:#f8f1fb}
.ph{font-size:14px}.ph .st{margin-right:6px}.sev{color:#6b7280;font-size:12px;margin:0 6px}.measured{font-family:ui-monospace,monospace;font-size:12px}
.msg{margin:4px 0}.src{color:#6b7280;font-size:12px;overflow-wrap:anywhere}.all-passed{color:#1a7f37;font-weight:600}
#not-run li{margin:3px 0} #not-run .must b{color:#b45309} details.passed{margin-top:12px} summary{cursor:pointer;font-weight:600}
.run-error{color:#7b1fa2}
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


_ENV = Environment(loader=PackageLoader("conformance.reporters", "templates"),
                   autoescape=select_autoescape(["html", "j2"], default=True),
                   trim_blocks=True, lstrip_blocks=True)
_ENV.filters["printable"] = lambda text: printable(str(text))


def _link(source: str) -> str:
    """The rule's first link (reports cite sources as "URL (words)")."""
    found = _URL.match(source or "")
    return found.group(1) if found else ""


def _not_run(report: RunReport) -> list:
    return [{"must": must, "status": status, "reason": printable(reason), "ids": ids}
            for must, status, reason, ids in not_run_groups(report.results)]


def render(report: RunReport, export_stem: str = "report") -> str:
    ordered = sorted(report.results, key=lambda r: STATUS_ORDER.index(r.status))
    groups = _not_run(report)
    return _ENV.get_template("report.html.j2").render(
        report=report, env=report.environment, css=Markup(CSS),
        counts=" · ".join(f"{sum(r.status is s for r in report.results)} {s.value}" for s in Status),
        problems=[r for r in ordered if r.status in PROBLEMS],
        not_run=groups, not_run_count=sum(len(g["ids"]) for g in groups), ordered=ordered,
        passed=[r for r in ordered if r.status is Status.PASS],
        logs=next((r.logs for r in report.results if r.logs), ""),
        svg=lambda chart: Markup(plots.chart(chart)), link=_link,
        export_name=lambda name: f"{export_stem}.{name}")


def write(report: RunReport, path: Path) -> None:
    """The report, and beside it each section's exports as <stem>.<name>."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report, path.stem), encoding="utf-8")
    for section in report.sections:
        for name, text in section.exports:
            (path.parent / f"{path.stem}.{name}").write_text(text, encoding="utf-8")
