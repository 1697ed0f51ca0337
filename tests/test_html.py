"""The HTML report of a failing run with load, opened in headless Chromium: the first
screen (1280 x 800) shows the verdict, what failed and what did not run; locust's own
report is written beside it; container text is escaped by the template."""
from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conformance.features.load.runner import LoadSettings
from conformance.model import CheckResult, RunReport, Severity, Status
from conformance.reporters import html, markdown
from helpers import by_id, check_image

# Added to a copy of the report (the report itself has no script): where each element of
# the first screen is laid out, read back with --dump-dom.
MEASURE = """<script>
const rows = [...document.querySelectorAll('.verdict, #failed .problem, #not-run li')].map(e => {
  const r = e.getBoundingClientRect(); return [e.id || e.className, Math.round(r.top), Math.round(r.bottom)]; });
document.body.setAttribute('data-measured', JSON.stringify({rows: rows, screen: window.innerHeight}));
</script></body>"""

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed (scripts/setup.sh installs Debian's chromium)")


def first_screen(page: Path, width: int = 1280, height: int = 800) -> dict:
    """Lay the report out in headless Chromium at width x height; each measured element's
    (name, top, bottom) and the height of the screen."""
    probe = page.with_name("measure.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE), encoding="utf-8")
    done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}",
                           f"--window-size={width},{height}", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-1000:]
    found = re.search(r'data-measured="([^"]*)"', done.stdout)
    assert found, "the page was not laid out"
    return json.loads(html_lib.unescape(found.group(1)))


def test_failing_report_renders_with_plots(sample_images, tmp_path):
    report = check_image(sample_images["broken-inference.ping.latency"], stop_timeout_s=3.0,
                         load=LoadSettings(users=3, spawn_rate=3, duration_s=4, p99_ms=1500.0))
    assert report.verdict == "fail"
    page = tmp_path / "report.html"
    html.write(report, page)
    text = page.read_text()
    assert "<script" not in text and "http://" not in text.split('id="section-load"')[0]
    assert text.count("<svg") == 3 and "polyline" in text and "p99 limit" in text
    assert 'class="st fail"' in text and "Answer /ping from a readiness flag" in text
    # the first screen: the verdict and every failed check, each whole, above the fold
    failed = {r.id for r in report.results if r.status is Status.FAIL}
    assert failed == {"inference.ping.latency", "inference.concurrency"}
    laid = first_screen(page)
    rows = {name: (top, bottom) for name, top, bottom in laid["rows"]}
    assert rows["verdict v-fail"][1] <= laid["screen"]
    assert {f"check-{i}" for i in failed} <= set(rows)
    assert all(rows[f"check-{i}"][1] <= laid["screen"] for i in failed), (rows, laid["screen"])
    # locust's own report, beside ours and linked from it
    export = tmp_path / "report.locust.html"
    assert export.is_file() and "<title>Locust</title>" in export.read_text()
    assert 'href="report.locust.html"' in text
    shot = tmp_path / "report.png"
    done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}",
                           "--window-size=1280,800", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-1000:]
    assert shot.stat().st_size > 50_000, "a rendered page, not a blank one"
    summary = markdown.render(report)
    assert "**FAIL**" in summary and "`inference.ping.latency`" in summary and "### Load" in summary


def test_what_did_not_run_is_on_the_first_screen_and_container_text_is_escaped(tmp_path):
    """A run without a payload: nine MUST checks could not run for one reason. The
    template escapes what a container says (no markup, no script)."""
    report = RunReport("sagemaker-conformance", "0.1.0", "abc123", "img:1", "serve", "2026-12-07T00:00:00+00:00",
                       duration_s=1.0)
    report.results.append(CheckResult("inference.bind", "t", Severity.MUST, Status.FAIL,
                                      "bound to 127.0.0.1:8080 <script>alert(1)</script>", "127.0.0.1:8080",
                                      "0.0.0.0:8080", "", "Bind to 0.0.0.0.", "https://docs.aws.amazon.com/x "
                                      "(contract.md inference.bind)", 0.1))
    for i in range(9):
        report.results.append(CheckResult(f"inference.n{i}", "t", Severity.MUST, Status.SKIP, "no --payload given",
                                          None, None, "", "r", "s", 0.0))
    for i in range(20):
        report.results.append(CheckResult(f"image.ok{i}", "t", Severity.MUST, Status.PASS, "fine", None, None, "",
                                          "r", "s", 0.0))
    page = tmp_path / "report.html"
    html.write(report, page)
    text = page.read_text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    laid = first_screen(page)
    rows = laid["rows"]
    assert [r[0] for r in rows] == ["verdict v-fail", "check-inference.bind", "must"]
    assert all(bottom <= laid["screen"] for _, _, bottom in rows), rows
    not_run = text.split('<section id="not-run">')[1].split("</section>")[0]
    assert "inference.n0, inference.n1" in not_run and not_run.count("no --payload given") == 1
    assert "<summary>Passed (20)</summary>" in text
