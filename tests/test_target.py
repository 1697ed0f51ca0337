"""--target: an endpoint the tool did not start (here, a container this test started on a
network of its own). What HTTP can measure is measured and judged; every other rule is
reported as not measured, and the MUST ones among them are listed in the report."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conformance.config import RunConfig
from conformance.engine.endpoint import serving_endpoint
from conftest import MODEL, PAYLOAD, ROOT

NOT_MEASURABLE = {"image.entrypoint.handles-arg", "image.arch", "image.credentials", "inference.startup",
                  "inference.port", "inference.bind", "inference.accept", "inference.concurrency"}


def check_target(url: str, tmp_path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SMC_")}
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "--target", url,
                           "--payload", str(PAYLOAD), "--content-type", "text/csv",
                           "--json", str(tmp_path / "r.json"), *extra],
                          capture_output=True, text=True, timeout=240, cwd=ROOT, env=environ)
    return done, json.loads((tmp_path / "r.json").read_text())


@pytest.mark.parametrize("image, verdict, code", [("good-minimal", "pass", 0),
                                                  ("broken-inference.headers", "fail", 1)])
def test_a_target_is_judged_on_what_http_can_measure(sample_images, tmp_path, image, verdict, code):
    config = RunConfig(image=sample_images[image], payload=PAYLOAD, content_type="text/csv", model=MODEL)
    with serving_endpoint(config) as endpoint:
        done, report = check_target(endpoint.base_url, tmp_path, "--load", "--users", "2", "--duration", "3s")
    assert done.returncode == code, done.stdout
    assert report["verdict"] == verdict and report["image"] == endpoint.base_url
    status = {c["id"]: c["status"] for c in report["checks"]}
    assert all(status[i] == "pass" for i in ("inference.ping", "inference.ping.latency", "inference.invocations",
                                              "inference.errors", "load.latency", "load.errors"))
    assert status["inference.headers"] == ("fail" if "broken" in image else "pass")
    not_measured = {c["id"] for c in report["checks"] if c["message"].startswith("not measured:")}
    assert NOT_MEASURABLE <= not_measured and all(status[i] == "skip" for i in not_measured)
    assert NOT_MEASURABLE <= {c["id"] for c in report["must_not_run"]}
    assert report["sections"]["load"]["data"]["requests"] > 0 and report["environment"]["connection"] == "target"


def test_a_target_that_never_answers_is_an_error_not_a_pass(tmp_path):
    with __import__("socket").socket() as sock:   # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done, report = check_target(f"http://127.0.0.1:{port}", tmp_path, "--startup-timeout", "2")
    assert done.returncode == 2 and report["verdict"] == "error", done.stdout
    assert "gave no healthy /ping within" in report["error"]
    assert "pass" not in {c["status"] for c in report["checks"]}
