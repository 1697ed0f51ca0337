"""Verdicts a CI gate can trust (issue 8), each case through real containers: no false
alarm on good images, no silent pass, every wait bounded, no traceback, every report
written, and text from the container never breaking a report."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conformance.config import RunConfig
from conformance.reporters.json_report import schema
from conformance.model import Status
from conftest import MODEL, PAYLOAD, ROOT
from helpers import by_id, check_image

JSON_PAYLOAD = ROOT / "fixtures" / "payloads" / "iris.json"
CLI = [sys.executable, "-m", "conformance"]


def cli(*args, env=None, timeout=240):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.mark.serial   # idle accept of a backlog of 5 bends under the other tests' CPU use
def test_stdlib_server_passes_idle_accept_and_only_the_burst_warns(sample_images):
    for _ in range(3):   # scripts/repeat_runs.py runs it 20 times
        report = check_image(sample_images["good-stdlib"])
        results = by_id(report)
        assert results["inference.accept"].status is Status.PASS, results["inference.accept"].message
        not_passed = {r.id for r in report.results if r.status is not Status.PASS}
        assert not_passed <= {"inference.accept.burst"}, not_passed
        assert report.verdict == ("warn" if not_passed else "pass")
    burst = results["inference.accept.burst"]
    if burst.status is Status.WARN:
        assert "listen backlog 5" in burst.message and "not this bursty" in burst.message


def test_slow_starter_with_a_metrics_exporter_is_waited_for(sample_images):
    report = check_image(sample_images["good-minimal"], startup_timeout_s=None,
                         env={"MS_EXPORTER_PORT": "9100", "MS_STARTUP_DELAY_S": "6"})
    results = by_id(report)
    assert report.verdict == "pass", {r.id: r.message for r in report.results if r.status is not Status.PASS}
    assert results["inference.startup"].measured >= 6.0


def test_the_tool_waits_the_platform_window_by_default():
    config = RunConfig(image="x")
    assert config.startup_wait_s == 480.0
    assert RunConfig(image="x", startup_timeout_s=600.0).startup_wait_s == 480.0, \
        "never wait past the window: a later start would fail on the platform"
    assert RunConfig(image="x", startup_window_s=900.0).startup_wait_s == 900.0


def test_without_payload_a_missing_route_fails(sample_images):
    report = check_image(sample_images["good-minimal"], payload=None, env={"MS_NO_INVOCATIONS": "1"})
    result = by_id(report)["inference.invocations"]
    assert result.status is Status.FAIL and result.measured == 404
    assert report.verdict == "fail"


def test_without_payload_the_must_checks_not_run_are_listed(sample_images, tmp_path):
    result = cli("check", sample_images["good-minimal"], "--model", str(MODEL), "--stop-timeout", "5",
                 "--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MUST checks that could not run" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    not_run = {entry["id"] for entry in report["must_not_run"]}
    assert {"inference.invocations", "inference.ping.truth", "inference.concurrency"} <= not_run
    assert "inference.invocations" in (tmp_path / "r.md").read_text()


def test_json_bodies_are_grown_to_6_mib(sample_images):
    good = by_id(check_image(sample_images["good-minimal"], payload=JSON_PAYLOAD,
                             content_type="application/json",
                             only=("inference.invocations",)))
    assert good["inference.invocations.request-size"].status is Status.PASS
    assert "6291" in good["inference.invocations.request-size"].message
    refused = by_id(check_image(sample_images["good-minimal"], payload=JSON_PAYLOAD,
                                content_type="application/json", env={"MS_MAX_BODY": str(5 * 1024 * 1024)},
                                only=("inference.invocations",)))
    assert refused["inference.invocations.request-size"].status is Status.FAIL
    assert refused["inference.invocations.request-size"].measured == 413


@pytest.mark.parametrize("knob", ["MS_PING_TRICKLE_S", "MS_HEADER_TRICKLE_S"])   # the body, or the status line
def test_a_trickling_ping_is_cut_at_the_deadline(sample_images, knob):
    """Every /ping is cut at its 2 s deadline; an idle server doing that for the settle time
    is a stuck start (evidence shown), judged in seconds."""
    report = check_image(sample_images["good-minimal"], env={knob: "0.5"}, settle_time_s=4.0,
                         startup_timeout_s=30.0, only=("inference.startup", "inference.ping"))
    results = by_id(report)
    latency = results["inference.ping.latency"]
    assert latency.status is Status.FAIL, latency.message
    assert results["inference.startup"].status is Status.FAIL and "stuck" in results["inference.startup"].details
    assert report.duration_s < 25


def test_proxy_variables_are_never_used_for_the_container(sample_images, tmp_path):
    dead_proxy = "http://127.0.0.1:9"   # nothing listens: a request sent there would fail
    env = {"HTTP_PROXY": dead_proxy, "http_proxy": dead_proxy, "ALL_PROXY": dead_proxy,
           "HTTPS_PROXY": dead_proxy, "NO_PROXY": "", "no_proxy": ""}
    result = cli("check", sample_images["good-minimal"], "--payload", str(PAYLOAD),
                 "--content-type", "text/csv", "--model", str(MODEL), "--stop-timeout", "5",
                 "--checks", "inference.startup,inference.invocations", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: PASS" in result.stdout


def _assert_exit_2_with_reports(args: list, message: str, tmp_path: Path, env=None) -> dict:
    result = cli(*args, "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"), env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert message in output, output
    assert "Traceback" not in output
    report = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(report, schema())
    ET.parse(tmp_path / "r.xml")
    return report


def test_bad_input_exits_2_with_the_reports_written(sample_images, tmp_path):
    image = sample_images["good-minimal"]
    big = tmp_path / "big.csv"
    big.write_bytes(b"5.1,3.5,1.4,0.2\n" * (6 * 1024 * 1024 // 16 + 1))
    truncated = tmp_path / "model.tar.gz"
    truncated.write_bytes(MODEL.read_bytes()[:-40])
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(200))
    fifo = tmp_path / "model.fifo"
    os.mkfifo(fifo)
    cases = [
        (["check", image, "--payload", str(big)], "over the platform's limit of 6291456 bytes"),
        (["check", image, "--model", str(truncated)], "cannot unpack model archive"),
        (["check", image, "--model", str(corrupt)], "cannot unpack model archive"),
        (["check", image, "--model", str(fifo)], "neither a directory nor a regular file"),
        (["check", image, "--memory", "1k"], "Docker refused to run the image"),
    ]
    for args, message in cases:
        report = _assert_exit_2_with_reports(args, message, tmp_path)
        assert report["verdict"] == "error" and message.split()[0] in report["error"]


def test_an_unwritable_report_path_exits_2_and_the_others_are_written(sample_images, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli("check", sample_images["good-minimal"], "--checks", "image", "--junit",
                 str(blocker / "r.xml"), "--json", str(tmp_path / "r.json"))
    assert result.returncode == 2 and "cannot write the report" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert json.loads((tmp_path / "r.json").read_text())["verdict"] == "pass"


def test_container_text_never_breaks_a_report(sample_images, tmp_path):
    markup = "[/red] [link=http://example.invalid]x[/link]"
    result = cli("check", sample_images["good-minimal"], "--payload", str(PAYLOAD), "--content-type",
                 "text/csv", "--model", str(MODEL), "--checks", "inference.invocations",
                 "--junit", str(tmp_path / "r.xml"), "--markdown", str(tmp_path / "r.md"),
                 "--html", str(tmp_path / "r.html"), "--env", "MS_NO_INVOCATIONS=1",
                 "--env", "MS_LOG_JUNK=1", "--env", f"MS_NOT_FOUND_BODY={markup} **bold** | cell")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "[/red]" in result.stdout and "[link=" in result.stdout
    assert "\x1b[31m" not in result.stdout and "\x00" not in result.stdout
    ET.parse(tmp_path / "r.xml")   # parses although the log held ESC and NUL
    markdown = (tmp_path / "r.md").read_text()
    assert "\\*\\*bold\\*\\*" in markdown and "\\[link=" in markdown and "\\| cell" in markdown
    html = (tmp_path / "r.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', html)   # only the rules' own AWS sources are links
    assert hrefs and all(h.startswith("https://docs.aws.amazon.com/") for h in hrefs), hrefs
    assert "example.invalid" in html and "\x1b" not in html and "[/red]" in html


def test_container_text_in_measured_values_and_details_is_made_safe(sample_images, tmp_path):
    """A header value with an OSC hyperlink, a C1 CSI (U+009B) and NUL reaches the streaming
    checks' message and details: every report gets it without the control characters."""
    junk = "text/csv\x1b]8;;http://example.invalid\x07x\x9b31m\x1b[5m"
    result = cli("check", sample_images["good-minimal"], "--payload", str(PAYLOAD), "--content-type",
                 "text/csv", "--model", str(MODEL), "--stream", "--checks", "streaming.response",
                 "--env", "MS_STREAM=chunked", "--env", f"MS_CONTENT_TYPE={junk}",
                 "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html"),
                 "--junit", str(tmp_path / "r.xml"))
    report = json.loads((tmp_path / "r.json").read_text())
    checks = {c["id"]: c for c in report["checks"]}
    first = checks["streaming.response.first-byte"]
    seen = first["details"]["streaming"]["content_type"]
    assert seen == "text/csvx31m", seen   # escape sequences go whole, a lone C1 goes
    for text in (result.stdout, (tmp_path / "r.html").read_text(), (tmp_path / "r.xml").read_text(),
                 (tmp_path / "r.json").read_text(encoding="utf-8")):
        assert not any(c in text for c in "\x1b\x9b\x07"), repr(text[:300])
    ET.parse(tmp_path / "r.xml")


def test_pytest_plugin_bad_options_are_a_usage_error(pytester, sample_images):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess(
                                           "--sagemaker-image", sample_images["good-minimal"],
                                           "--sagemaker-env", "NOEQUALS")
    output = "\n".join(result.outlines + result.errlines)
    assert result.ret == pytest_usage_error()
    assert "INTERNALERROR" not in output and "KEY=VALUE" in output


def pytest_usage_error() -> int:
    import pytest
    return pytest.ExitCode.USAGE_ERROR


def test_the_package_imports_where_there_is_no_fcntl():
    """Windows has no fcntl: importing the package (CLI, engine, Pipe mode) must not crash."""
    code = ("import sys; sys.modules['fcntl'] = None\n"
            "import conformance.cli, conformance.engine.runner, conformance.modes.train.pipe, "
            "conformance.pytest_plugin\nprint('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
