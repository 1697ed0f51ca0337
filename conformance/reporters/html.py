"""--html: one self-contained file (inline CSS and SVG, no scripts, no network): verdict,
checks with measured vs limit and remediation, container logs of failures, and the load
run's latency over time and latency histogram."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Optional

from ..model import RunReport, Status
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
.bar{fill:#60a5fa}
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
             _problems(report), _checks_table(report), _fuzz_findings(report), _hops(report), _models(report),
             _logs(report)]
    if report.load:
        parts.append(_load_section(report.load))
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


def _fuzz_findings(report: RunReport) -> str:
    """Each fuzz failure's minimal input: escaped, attached whole as a file, with the
    response, /ping afterwards, the replay flags and the container's log tail."""
    parts = []
    for r in report.results:
        found = r.details.get("minimal_input") if r.status is not Status.PASS else None
        if not found:
            continue
        response = r.details.get("response", {})
        headers = "".join(f"<li><code>{escape(k)}: {escape(repr(v))}</code></li>" for k, v in found["headers"].items())
        left_out = "".join(f"<li>no <code>{escape(n)}</code> header</li>" for n in found["headers_left_out"])
        parts.append(
            f"<h3><span class='id'>{escape(r.id)}</span>: {escape(found['kind'])}</h3>"
            f"<p>Minimal input ({found['body_bytes']} bytes, shrunk by hypothesis; smallest of "
            f"{found['failing_examples_seen']} failing examples) — <a download='{escape(r.id)}-input.bin' "
            f"href='data:application/octet-stream;base64,{found['body_base64']}'>download the body</a></p>"
            f"<pre>{escape(found['body_escaped'])}</pre><ul>{headers}{left_out}</ul>"
            f"<p>Response: {escape(str(response.get('status') or response.get('error')))} in "
            f"{response.get('elapsed_s')} s <code>{escape(str(response.get('body_head', '')))}</code><br>"
            f"Then: {escape(printable(str(r.details.get('after', ''))))}<br>"
            f"Replay: <code>{escape(str(r.details.get('replay', '')))}</code></p>"
            f"<p>Container log right after the minimal example:</p><pre>{escape(printable(str(r.details.get('log_tail', ''))))}</pre>")
    return "<h2>Fuzzing: minimal failing inputs</h2>" + "".join(parts) if parts else ""


def _hops(report: RunReport) -> str:
    """Per-container results of a pipeline (pipeline.serial / pipeline.direct)."""
    parts = []
    for r in report.results:
        hops = r.details.get("hops")
        if not hops:
            continue
        rows = "".join(f"<tr><td class='id'>{escape(h['container'])}</td><td>{escape(h['image'])}</td>"
                       f"<td>{escape(str(h['status'] or h['error']))}</td><td>{h['latency_s'] * 1000:.1f} ms</td>"
                       f"<td>{h['request_bytes']} B</td><td>{h['response_bytes']} B</td></tr>" for h in hops)
        parts.append(f"<h3><span class='id'>{escape(r.id)}</span></h3><table><thead><tr><th>container</th>"
                     f"<th>image</th><th>status</th><th>latency</th><th>in</th><th>out</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    return "<h2>Pipeline: each container</h2>" + "".join(parts) if parts else ""


MODEL_CALLS = ("load", "load_again", "get", "invoke", "unload", "get_after_unload", "unload_again")


def _models(report: RunReport) -> str:
    """Per-model results of a multi-model endpoint's /models drill (mme.load)."""
    rows = next((r.details["models"] for r in report.results if r.details.get("models")), None)
    if not rows:
        return ""
    def cell(call: Optional[dict]) -> str:
        if call is None:
            return "<td>-</td>"
        return f"<td>{escape(str(call['status'] or call.get('error', '')))} ({call['latency_s'] * 1000:.1f} ms)</td>"
    body = "".join(f"<tr><td class='id'>{escape(row['model'])}</td><td class='id'>{escape(row['id'])}</td>"
                   + "".join(cell(row.get(call)) for call in MODEL_CALLS) + "</tr>" for row in rows)
    head = "".join(f"<th>{call.replace('_', ' ')}</th>" for call in MODEL_CALLS)
    return (f"<h2>Multi-model endpoint: each model</h2><table><thead><tr><th>model</th><th>model_name sent</th>"
            f"{head}</tr></thead><tbody>{body}</tbody></table>")


def _logs(report: RunReport) -> str:
    logs = next((r.logs for r in report.results if r.logs), "")
    return f"<h2>Container log (last lines, at the first failure)</h2><pre>{escape(printable(logs))}</pre>" if logs else ""


def _load_section(load: dict) -> str:
    timeline = load.get("timeline", [])
    cards = "".join(f"<div class='card'>{label}<b>{value}</b></div>" for label, value in (
        ("requests", load["requests"]), ("failures", load["failures"]), ("req/s", f"{load['rps']:.1f}"),
        ("p50", f"{load['p50_ms']} ms"), ("p90", f"{load['p90_ms']} ms"), ("p99", f"{load['p99_ms']} ms"),
        ("max", f"{load['max_ms']} ms"),
        ("generator CPU", ", ".join(f"{c:.0f} %" for c in load["generator_cpu_percent"]))))
    latency = plots.line_chart("Latency of /invocations per second", {
        "p50 ms": [(row["t"], row["p50_ms"]) for row in timeline],
        "max ms": [(row["t"], row["max_ms"]) for row in timeline]}, "seconds", "ms")
    rate = plots.line_chart("Completed requests per second", {
        "requests": [(row["t"], row["requests"]) for row in timeline],
        "failures": [(row["t"], row["failures"]) for row in timeline]}, "seconds", "req/s")
    hist = plots.histogram("Latency histogram", load.get("latencies_ms", []), "ms")
    return f"<h2>Load</h2><div class='cards'>{cards}</div>{latency}{rate}{hist}"


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
