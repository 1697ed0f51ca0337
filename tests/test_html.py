"""The HTML report of a failing run with load, opened in headless Chromium."""
from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest

from conformance.features.load.runner import LoadSettings
from conformance.reporters import html, markdown
from helpers import check_image

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed (scripts/setup.sh installs Debian's chromium)")


def test_failing_report_renders_with_plots(sample_images, tmp_path):
    report = check_image(sample_images["broken-inference.ping.latency"], stop_timeout_s=3.0,
                         load=LoadSettings(users=3, spawn_rate=3, duration_s=4))
    assert report.verdict == "fail"
    page = tmp_path / "report.html"
    html.write(report, page)
    text = page.read_text()
    assert "http://" not in text.replace(report.environment.get("connection", ""), "").split("<h2>Checks")[0]
    assert text.count("<svg") == 3 and "polyline" in text and "class='st fail'" in text
    assert "Answer /ping from a readiness flag" in text, "remediation of the failed check"
    shot = tmp_path / "report.png"
    done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}",
                           "--window-size=1100,3400", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-1000:]
    assert shot.stat().st_size > 50_000, "a rendered page, not a blank one"
    summary = markdown.render(report)
    assert "**FAIL**" in summary and "`inference.ping.latency`" in summary and "### Load" in summary
