"""--baseline REPORT.json: a run compared check by check with an earlier report of the
image, through the CLI and real containers: a commit that breaks a rule and slows
/invocations is a regression; the same image again is none. Bad baselines are usage
errors before anything runs."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import pytest

from conformance.cli import main
from conftest import MODEL, PAYLOAD, ROOT

CHECKS = "inference.startup,inference.ping,inference.invocations,inference.headers"


def check(image: str, report, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance", "check", image, "--payload", str(PAYLOAD),
                           "--content-type", "text/csv", "--model", str(MODEL), "--json", str(report), *more],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)


def checks_of(report) -> dict:
    return {c["id"]: c for c in json.loads(report.read_text())["checks"]}


@pytest.fixture(scope="module")
def earlier(sample_images, tmp_path_factory):
    report = tmp_path_factory.mktemp("baseline") / "report.json"
    done = check(sample_images["good-minimal"], report, "--checks", CHECKS)
    assert done.returncode == 0, done.stdout[-1500:]
    return report


@pytest.mark.docker
def test_a_broken_rule_and_a_slower_answer_are_regressions(sample_images, earlier, tmp_path):
    now = tmp_path / "now.json"
    done = check(sample_images["broken-inference.headers"], now, "--checks", CHECKS + ",baseline",
                 "--baseline", str(earlier), "--env", "MS_INVOKE_DELAY_S=0.3")
    assert done.returncode == 1, done.stdout[-1500:]
    results = checks_of(now)
    verdicts, latency = results["baseline.verdicts"], results["baseline.latency"]
    assert verdicts["status"] == "fail" and verdicts["measured"] == 2, verdicts["message"]
    assert verdicts["details"]["regressed"] == {   # the answer's Custom-Attributes can no longer be judged
        "inference.headers": {"before": "pass", "now": "fail"},
        "inference.headers.custom-attributes": {"before": "pass", "now": "skip"}}
    assert latency["status"] == "warn" and "inference.invocations" in latency["message"], latency["message"]
    compared = latency["details"]["compared_s"]["inference.invocations"]
    assert compared["now"] >= 0.3 > compared["before"]
    print(f"baseline: {verdicts['message']}; {latency['message']}")


@pytest.mark.docker
@pytest.mark.serial   # compares latencies: alone, so that other tests' CPU use does not bend them
def test_the_same_image_again_has_no_regression(sample_images, earlier, tmp_path):
    now = tmp_path / "now.json"
    done = check(sample_images["good-minimal"], now, "--checks", CHECKS + ",baseline", "--baseline", str(earlier))
    results = checks_of(now)
    assert done.returncode == 0, done.stdout[-1500:]
    assert results["baseline.verdicts"]["status"] == "pass" and results["baseline.verdicts"]["measured"] == 0
    assert results["baseline.latency"]["status"] == "pass", results["baseline.latency"]["message"]
    assert set(results["baseline.latency"]["details"]["compared_s"]) >= {"inference.startup", "inference.invocations"}


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", *args])
    return code, " ".join(out.getvalue().split())


@pytest.mark.parametrize("content, says", [
    ("not json", "cannot read --baseline"),
    (json.dumps({"image": "x", "mode": "serve"}), "'checks' is a required property"),
    (json.dumps({"image": "x", "mode": "serve", "checks": [], "error": "Docker unreachable"}), "judged no check"),
    (json.dumps({"image": "x", "mode": "train", "checks": [{"id": "training.exit", "status": "pass"}]}),
     "is a report of --mode train"),
])
def test_a_baseline_that_cannot_be_compared_is_a_usage_error(tmp_path, monkeypatch, content, says):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    path = tmp_path / "old.json"
    path.write_text(content)
    code, text = run_cli("smc-sample/good-minimal", "--payload", str(PAYLOAD), "--baseline", str(path))
    assert code == 2 and says in text, text
