"""--mode inference-component through real containers: copies of one image side by side,
each in the slice of ComputeResourceRequirements; the serving checks judged on every copy
and the component.* checks each failed by its broken sample."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conformance import registry
from conformance.model import Status
from conformance.modes.component.settings import ComponentSettings
from conftest import ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
# A slice of one core and 400 MB; the broken samples size themselves from the host's CPUs,
# so they need a host of 2 or more (this one and CI have 2).
SLICE = ComponentSettings(copies=2, cpu_cores=1.0, min_memory_mb=400)
COMPONENT_ONLY = {s.id for s in registry.all_checks("inference-component") if s.modes == {"inference-component"}}


def component(image: str, settings: ComponentSettings = SLICE, **more):
    return check_image(image, mode_settings=settings, **more)


def test_a_good_component_passes_every_check_on_every_copy(sample_images):
    report = component(sample_images["good-component"])
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in registry.select("inference-component")}
    assert COMPONENT_ONLY == {"component.copies", "component.memory", "component.workers"}
    assert report.environment["memory_bytes"] == 400 * 1024 * 1024 and report.environment["cpus"] == 1.0
    copies = by_id(report)["component.copies"]
    assert copies.measured == copies.limit == 2
    assert [c["copy"] for c in copies.details["copies"]] == ["copy-1", "copy-2"]
    assert all(c["invocation"] == 200 and c["state"] == "running" for c in copies.details["copies"])
    ping = by_id(report)["inference.ping.latency"]   # a serving rule of every hosted container
    assert set(ping.details["containers"]) == {"copy-1", "copy-2"}, ping.details
    memory = by_id(report)["component.memory"]
    assert set(memory.details["used_mib"]) == {"copy-1", "copy-2"} and 250 < memory.measured < 400   # the 250 MiB model held
    section = report.section("component.copies")
    assert section is not None and section.summary == "2 of 2 copies healthy"


def test_workers_sized_from_the_host_run_out_of_memory_in_the_slice(sample_images):
    assert (os.cpu_count() or 1) >= 2, "the broken sample needs a host of 2 or more CPUs to break its slice"
    # The component checks only: with every serving check, each probe of the dying copy
    # waits out its own timeout (183 s measured for the whole run).
    report = component(sample_images["broken-component.memory"], startup_timeout_s=30.0,
                       only=("component", "inference.startup"))
    results = by_id(report)
    memory = results["component.memory"]
    assert memory.status is Status.FAIL, memory.message
    assert "killed for memory at their 400 MB slice" in memory.message and memory.measured == "killed (OOM)"
    assert results["component.copies"].status is Status.FAIL   # a killed copy never served


def test_gunicorn_style_workers_from_the_host_count_warn(sample_images):
    report = component(sample_images["broken-component.workers"])
    results = by_id(report)
    workers = results["component.workers"]
    assert workers.status is Status.WARN, workers.message
    assert workers.measured == 2 * os.cpu_count() + 1 and workers.limit == 4
    assert results["component.memory"].status is Status.PASS and results["component.copies"].status is Status.PASS


@pytest.mark.parametrize("args, message", [
    (["--copies", "3", "--cpu-cores", "1"], "do not fit on ml.m5.large"),
    (["--cpu-cores", "0.1"], "--cpu-cores must be at least 0.25"),
    (["--min-memory-mb", "64"], "--min-memory-mb must be at least 128"),
    (["--min-memory-mb", "512", "--max-memory-mb", "256"], "is below --min-memory-mb"),
    (["--cpus", "1"], "--cpus does not apply to --mode inference-component"),
])
def test_slices_the_platform_would_refuse_are_usage_errors(args, message):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-component",
                           "--mode", "inference-component", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 2 and message in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_copies_apply_to_the_inference_component_mode_only():
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-component",
                           "--copies", "2"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "--copies applies to --mode inference-component" in done.stdout, done.stdout
