"""--pipeline through real containers: 2-15 serving containers side by side, each on its
SAGEMAKER_BIND_TO_PORT; serial flow hop by hop, direct invocation by hostname. Each
pipeline.* check is failed by its broken sample, placed among good ones."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.checks import select
from conformance.model import Mode, Status
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
    return check_image(images[0], pipeline=tuple(images[1:]), pipeline_mode=mode,
                       startup_timeout_s=8.0, **more)


def test_every_pipeline_check_has_a_broken_sample():
    assert {s.id for s in select(Mode.PIPELINE, options=("pipeline_serial", "pipeline_direct"))} == set(BROKEN)


def test_a_serial_pipeline_passes_and_shows_each_hop(sample_images):
    report = pipeline(sample_images, (PRE, PRE, MODEL))
    assert {r.id: r.status for r in report.results} == {
        "pipeline.label": Status.PASS, "pipeline.bind": Status.PASS, "pipeline.ping": Status.PASS,
        "pipeline.serial": Status.PASS}
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
