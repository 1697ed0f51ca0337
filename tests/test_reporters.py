"""Reporters read a RunReport; a synthetic one covers every status."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import jsonschema
from rich.console import Console

from conformance.model import CheckResult, RunReport, Severity, Status
from conformance.reporters import json_report, junit
from conformance.reporters.terminal import TerminalReporter
from conformance.engine.sockets import _parse


def make_report() -> RunReport:
    report = RunReport("sagemaker-conformance", "0.1.0", "abc123", "img:1", "serve",
                       "2026-11-25T00:00:00+00:00", duration_s=1.5)
    for status, severity, measured in ((Status.PASS, Severity.MUST, 0.01), (Status.FAIL, Severity.MUST, 2.5),
                                       (Status.WARN, Severity.SHOULD, "x"), (Status.SKIP, Severity.MUST, None),
                                       (Status.ERROR, Severity.MUST, None)):
        report.results.append(CheckResult(f"inference.s-{status.value}", "t", severity, status,
                                          f"message {status.value}", measured, 2.0, "s", "Fix it.",
                                          "contract.md", 0.1, logs="log line" if status is Status.FAIL else ""))
    return report


def test_json_validates_and_counts():
    data = json_report.to_dict(make_report())
    jsonschema.validate(data, json_report.schema())
    assert data["verdict"] == "fail"
    assert data["summary"] == {"pass": 1, "fail": 1, "warn": 1, "skip": 1, "error": 1}


def test_schema_rejects_a_report_without_verdict():
    data = json_report.to_dict(make_report())
    del data["verdict"]
    try:
        jsonschema.validate(data, json_report.schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted a report without verdict")


def test_junit_keeps_failure_apart_from_error(tmp_path):
    junit.write(make_report(), tmp_path / "r.xml")
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == \
        ("5", "1", "1", "1")
    failed = suite.find("testcase[@name='inference.s-fail']")
    assert failed.find("failure").get("message") == "message fail"
    assert "log line" in failed.find("system-out").text


def test_terminal_table_shows_measured_and_fix():
    console = Console(record=True, width=160)
    TerminalReporter(console).finish(make_report())
    text = console.export_text()
    assert "2.5 / 2.0 s" in text and "fix: Fix it." in text and "verdict: FAIL" in text


def test_socket_table_parsing():
    v4 = ("  sl  local_address rem_address   st\n"
          "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n"
          "   1: 00000000:1F91 00000000:0000 0A 00000000:00000000\n"
          "   2: 0200A8C0:1F90 0100A8C0:D431 01 00000000:00000000\n")
    assert [str(l) for l in _parse(v4, False)] == ["127.0.0.1:8080", "0.0.0.0:8081"]
    v6 = ("  sl  local_address rem_address st\n"
          "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A\n"
          "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A\n")
    assert [str(l) for l in _parse(v6, True)] == ["[::]:8080", "[::1]:8080"]


def test_one_gate_rule_for_every_front():
    """The CLI's verdict and the pytest items read the same rule (model.gate)."""
    from conformance.model import CheckResult, Severity, Status, gate, verdict

    def result(severity, status):
        return CheckResult("x.y", "t", severity, status, "m", None, None, "", "r", "s", 0.0)

    assert gate(result(Severity.SHOULD, Status.ERROR), strict=False) == "warn"
    assert gate(result(Severity.SHOULD, Status.ERROR), strict=True) == "fail"
    assert gate(result(Severity.MUST, Status.ERROR), strict=False) == "fail"
    assert gate(result(Severity.SHOULD, Status.WARN), strict=False) == "warn"
    assert verdict([result(Severity.SHOULD, Status.ERROR)], strict=False) == "warn"
    assert verdict([result(Severity.MUST, Status.SKIP)], strict=False) == "pass"


def test_quiet_prints_the_verdict_line_only_and_reasons_are_grouped():
    console = Console(record=True, width=200)
    TerminalReporter(console, quiet=True).finish(make_report())
    lines = [line for line in console.export_text().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("verdict: FAIL, incomplete: 2 MUST checks not run")
    report = make_report()
    for name in ("a", "b", "c"):
        report.results.append(CheckResult(f"inference.n-{name}", "t", Severity.MUST, Status.SKIP,
                                          "no --payload given", None, None, "", "Fix it.", "s", 0.0))
    console = Console(record=True, width=80)
    TerminalReporter(console).finish(report)
    text = console.export_text()
    assert "inference.n-a, inference.n-b, inference.n-c (skip): no --payload given" in text
    assert text.split("MUST checks that could not run")[1].count("no --payload given") == 1


def test_terminal_at_80_columns_puts_failures_first_folds_passes_and_loses_no_word():
    """A CI log or a laptop terminal of 80 columns: every word of a long message and of its
    source reaches the screen (wrapped, never cut), failures come before warnings and
    passes, and the passes take one folded line instead of a row each."""
    report = make_report()
    long_message = ("port 8080 is bound to 127.0.0.1:8080 only: unreachable from outside the container, "
                    "so the platform's health check never reaches it and the endpoint never becomes InService")
    report.results.insert(0, CheckResult("inference.bind", "t", Severity.MUST, Status.FAIL, long_message,
                                         "127.0.0.1:8080", "0.0.0.0:8080", "", "Bind to 0.0.0.0:8080.",
                                         "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-"
                                         "inference-code.html (contract.md inference.bind)", 0.1))
    for i in range(15):
        report.results.insert(0, CheckResult(f"inference.ok-{i}", "t", Severity.MUST, Status.PASS, "fine",
                                             None, None, "", "r", "s", 0.0))
    console = Console(record=True, width=80)
    TerminalReporter(console).finish(report)
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    flat = " ".join(text.split())
    assert " ".join(long_message.split()) in flat
    assert "your-algorithms-inference-code.html" in text.replace("\n", "").replace(" ", "")
    first = {name: next(i for i, line in enumerate(lines) if line.startswith(name))
             for name in ("FAIL", "ERROR", "WARN", "passed (16)")}
    assert first["FAIL"] < first["ERROR"] < first["WARN"] < first["passed (16)"]
    assert sum("fine" in line for line in lines) == 0, "passes are folded: no row, no message"
    assert all(f"inference.ok-{i}" in flat for i in range(15))


def test_histogram_goes_log_scale_when_latencies_span_ten_times_and_ticks_are_round():
    from conformance.reporters import plots
    spread = plots.histogram("Latency", [1.2] * 50 + [3.0] * 900 + [48.0] * 3, "ms")
    assert "log scale" in spread and ">10<" in spread and ">20<" in spread   # ticks at 1, 2, 5 x 10^k
    narrow = plots.histogram("Latency", [10.0, 11.0, 12.5], "ms")
    assert "linear" in narrow and "log scale" not in narrow
    assert [plots.nice_step(s) for s in (0.9, 7.0, 130.0, 4100.0)] == [0.5, 2.0, 50.0, 2000.0]
