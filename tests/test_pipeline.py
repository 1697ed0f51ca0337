"""--pipeline through real containers: 2-15 serving containers side by side, each on its
SAGEMAKER_BIND_TO_PORT; serial flow hop by hop, direct invocation by hostname. Each
pipeline.* check is failed by its broken sample, placed among good ones."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.checks import select
from conformance.model import Mode, Status
from conformance.modes.pipeline.settings import PipelineSettings
from conftest import ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
BROKEN = sorted(p.name for p in (ROOT / "sample_containers" / "broken").iterdir() if p.name.startswith("pipeline."))
PRE, MODEL = "good-pipeline-pre", "good-pipeline-model"
# Where each broken image goes, and how the pipeline runs (the flow checks need the mode).
LAYOUT = {"pipeline.label": ((PRE, "broken-pipeline.label"), "serial"),
          "pipeline.bind": ((PRE, "broken-pipeline.bind"), "serial"),
          "pipeline.ping": ((PRE, "broken-pipeline.ping"), "serial"),
          "pipeline.serial": (("broken-pipeline.serial", MODEL), "serial"),
          "pipeline.direct": ((PRE, "broken-pipeline.direct"), "direct")}


def pipeline(sample_images, names, mode="serial", **more):
    images = [sample_images[n] for n in names]
    return check_image(images[0], mode_settings=PipelineSettings(tuple(images[1:]), mode),
                       startup_timeout_s=8.0, **more)


def test_every_pipeline_check_has_a_broken_sample():
    own = {s.id for s in select(Mode.PIPELINE, options=("pipeline_serial", "pipeline_direct")) if not s.each_container}
    assert own == set(BROKEN)
    # The hosting checks each container gets are proven by their broken samples in test_checks,
    # and per container by test_each_container_of_a_pipeline_gets_the_hosting_checks.
    shared = {s.id for s in select(Mode.PIPELINE) if s.each_container}
    assert {"inference.startup", "inference.ping.latency", "inference.accept", "image.arch",
            "image.user.root", "lifecycle.sigterm"} <= shared


def test_a_serial_pipeline_passes_and_shows_each_hop(sample_images):
    report = pipeline(sample_images, (PRE, PRE, MODEL))
    assert {r.id for r in report.results} == {s.id for s in select(Mode.PIPELINE, options=("pipeline_serial",))}
    assert {"pipeline.serial", "inference.ping.latency", "image.arch", "lifecycle.sigterm"} <= {
        r.id for r in report.results}
    assert all(r.status is Status.PASS for r in report.results), {r.id: r.message for r in report.results}
    containers = by_id(report)["inference.ping.latency"].details["containers"]
    assert list(containers) == [f"container-{i} ({sample_images[n]})" for i, n in enumerate((PRE, PRE, MODEL), 1)]
    hops = by_id(report)["pipeline.serial"].details["hops"]
    assert [h["container"] for h in hops] == ["container-1", "container-2", "container-3"]
    assert all(h["status"] == 200 and h["latency_s"] >= 0 for h in hops)
    assert hops[-1]["response_bytes"] == len("setosa\nversicolor\nvirginica\n")
    assert "8081" in by_id(report)["pipeline.bind"].message and "8083" in by_id(report)["pipeline.bind"].message


def test_a_direct_endpoint_invokes_each_container(sample_images):
    report = pipeline(sample_images, (PRE, MODEL), mode="direct")
    direct = by_id(report)["pipeline.direct"]
    assert direct.status is Status.PASS and len(direct.details["hops"]) == 2
    assert "pipeline.serial" not in by_id(report)


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_image_fails_its_pipeline_check(sample_images, check_id):
    names, mode = LAYOUT[check_id]
    report = pipeline(sample_images, names, mode=mode, only=(check_id,))
    result = by_id(report)[check_id]
    assert result.status is Status.FAIL, result.message
    assert "container-2" in result.message or "hop 1" in result.message


def test_an_image_that_ignores_the_port_is_named_with_what_it_listens_on(sample_images):
    report = pipeline(sample_images, LAYOUT["pipeline.bind"][0], only=("pipeline.bind",))
    message = by_id(report)["pipeline.bind"].message
    assert "does not listen on 8082" in message and "0.0.0.0:8080" in message


@pytest.mark.parametrize("args, says", [
    (["--pipeline-mode", "direct"], "one image is not a pipeline"),
    ([f"--pipeline=smc-sample/{PRE}"] * 15, "2-15 containers, not 16"),
    (["--pipeline", f"smc-sample/{PRE}", "--mode", "serverless", "--memory-size", "1024"], "--mode serve"),
])
def test_pipeline_usage_errors(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", f"smc-sample/{PRE}", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in done.stdout + done.stderr, done.stdout + done.stderr


def test_each_container_of_a_pipeline_gets_the_hosting_checks(sample_images, tmp_path):
    """Every container is a hosted container: its /ping latency, user, start-up... are
    judged on their own, and the one that breaks a rule is named (through the CLI)."""
    import json
    names = (PRE, "broken-inference.ping.latency", "broken-image.user.root")
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images[names[0]],
                           "--pipeline", sample_images[names[1]], "--pipeline", sample_images[names[2]],
                           "--model", str(ROOT / "fixtures/model/model.tar.gz"), "--content-type", "text/csv",
                           "--payload", str(ROOT / "fixtures/payloads/iris.csv"), "--stop-timeout", "5",
                           "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    checks = {c["id"]: c for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert done.returncode == 1, done.stdout[-2000:]
    latency = checks["inference.ping.latency"]
    assert latency["status"] == "fail" and latency["measured"] > 2.0
    assert latency["message"].startswith(f"container-2 ({sample_images[names[1]]}): max")
    assert [c["status"] for c in latency["details"]["containers"].values()] == ["pass", "fail", "pass"]
    user = checks["image.user.root"]
    assert user["status"] == "warn" and user["message"].startswith(f"container-3 ({sample_images[names[2]]})")
    for check_id in ("inference.startup", "inference.ping", "image.arch", "lifecycle.sigterm"):
        assert checks[check_id]["status"] == "pass" and len(checks[check_id]["details"]["containers"]) == 3
