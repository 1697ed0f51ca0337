"""--certify through the CLI and a real container: the evidence bundle (the four reports,
evidence.json with the image id, tool version, rules digest and the command, the
container's log), and a run where a MUST check could not run fails the verdict."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import MODEL, PAYLOAD, ROOT

pytestmark = pytest.mark.docker


def certify(image: str, folder, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance", "check", image, "--certify", str(folder),
                           "--model", str(MODEL), *more], capture_output=True, text=True, timeout=240, cwd=ROOT)


def test_a_certified_run_writes_its_evidence(sample_images, docker_client, tmp_path):
    image = sample_images["good-minimal"]
    done = certify(image, tmp_path / "bundle", "--payload", str(PAYLOAD), "--content-type", "text/csv")
    assert done.returncode == 0, done.stdout[-1500:]
    bundle = tmp_path / "bundle"
    assert {p.name for p in bundle.iterdir()} == {"report.json", "report.xml", "report.html", "summary.md",
                                                 "evidence.json", "container.log"}
    evidence = json.loads((bundle / "evidence.json").read_text())
    assert evidence["image_id"] == docker_client.images.get(image).id and evidence["verdict"] == "pass"
    assert evidence["complete"] is True and len(evidence["rules_digest"]) == 16
    assert "--certify" in evidence["command"] and evidence["run_id"] == json.loads((bundle / "report.json").read_text())["run_id"]
    assert "listening on" in (bundle / "container.log").read_text()   # the server's own first line


def test_a_must_check_that_did_not_run_fails_a_certified_run(sample_images, tmp_path):
    done = certify(sample_images["good-minimal"], tmp_path / "bundle")   # no --payload: invocations cannot run
    evidence = json.loads((tmp_path / "bundle" / "evidence.json").read_text())
    assert done.returncode == 1 and evidence["verdict"] == "fail" and evidence["complete"] is False, done.stdout[-800:]
    assert "inference.invocations.request-size" in {c["id"] for c in evidence["must_not_run"]}


def test_a_certification_that_leaves_checks_out_is_a_usage_error(tmp_path):
    done = certify("smc-sample/good-minimal", tmp_path / "bundle", "--skip", "inference.accept")
    assert done.returncode == 2 and "--certify judges every check of the mode" in done.stdout, done.stdout
