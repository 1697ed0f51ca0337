"""A pass must say when MUST rules never ran (issue #23, part 3): the verdict line of every
report says "incomplete", and --require-complete turns it into a failure for gates."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conformance import registry
from conftest import MODEL, PAYLOAD, ROOT

pytestmark = pytest.mark.docker
CHECKS = "inference.startup,inference.ping,inference.invocations,inference.ping.truth"


def cli(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SMC_")}
    done = subprocess.run([sys.executable, "-m", "conformance", "check", *args, "--checks", CHECKS,
                           "--report-dir", str(tmp_path)], capture_output=True, text=True, timeout=180,
                          cwd=ROOT, env=environ)
    return done, json.loads((tmp_path / "report.json").read_text())


def test_a_pass_without_a_payload_says_it_is_incomplete(sample_images, tmp_path):
    done, report = cli(tmp_path, sample_images["good-minimal"], "--model", str(MODEL))
    assert done.returncode == 0, done.stdout
    not_run = {c["id"] for c in report["must_not_run"]}
    assert not_run == {"inference.invocations", "inference.invocations.request-size", "inference.ping.truth"}
    line = f"PASS, incomplete: {len(not_run)} MUST checks not run"
    assert report["headline"] == line and report["complete"] is False
    assert f"verdict: {line}" in done.stdout
    assert f"**PASS**, incomplete: {len(not_run)} MUST checks not run" in (tmp_path / "summary.md").read_text()
    assert f"incomplete: {len(not_run)} MUST checks not run" in (tmp_path / "report.html").read_text()


def test_require_complete_fails_a_run_where_must_checks_did_not_run(sample_images, tmp_path):
    done, report = cli(tmp_path, sample_images["good-minimal"], "--model", str(MODEL), "--require-complete")
    assert done.returncode == 1, done.stdout
    assert report["verdict"] == "fail" and report["headline"].startswith("FAIL, incomplete: 3 MUST checks")


def test_a_complete_run_says_nothing_of_the_kind(sample_images, tmp_path):
    done, report = cli(tmp_path, sample_images["good-minimal"], "--model", str(MODEL), "--payload", str(PAYLOAD),
                       "--content-type", "text/csv", "--require-complete")
    assert done.returncode == 0, done.stdout
    assert report["headline"] == "PASS" and report["complete"] is True and "incomplete" not in done.stdout
    assert [c["id"] for c in report["checks"]] == [s.id for s in registry.select("serve", CHECKS.split(","))]
    assert all(c["source"].startswith("https://docs.aws.amazon.com/") for c in report["checks"])
