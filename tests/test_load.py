"""Load checks on real containers, locust in its child process: a good image passes, a
slow model breaks the SLO, a health check that stalls behind requests fails load.ping."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import jsonschema

from conformance.config import RunConfig
from conformance.engine.endpoint import serving_endpoint
from conformance.features.load.export import export_locustfile
from conformance.registry import select
from conformance.features.load.runner import LoadSettings
from conformance.model import Status
from conformance.reporters import json_report
from conftest import MODEL, PAYLOAD
from helpers import by_id, check_image

SHORT = LoadSettings(users=4, spawn_rate=4, duration_s=5)


def test_good_image_passes_load_with_a_timeline(sample_images):
    report = check_image(sample_images["good-minimal"], only=("load",), load=SHORT)
    results = by_id(report)
    assert set(results) == {"load.latency", "load.errors", "load.ping", "load.accept",
                            "load.throughput", "load.generator"}
    musts = [r for r in report.results if r.id != "load.generator"]
    assert all(r.status is Status.PASS for r in musts), {r.id: r.message for r in musts}
    generator = results["load.generator"]
    # Unthrottled users against a fast server may saturate one locust process: then the
    # check says so (warn) instead of passing numbers that describe the generator.
    assert generator.status is (Status.WARN if generator.measured >= 90 else Status.PASS)
    assert report.verdict == ("warn" if generator.status is Status.WARN else "pass")
    data = json_report.to_dict(report)
    jsonschema.validate(data, json_report.schema())
    load = data["sections"]["load"]["data"]
    assert load["requests"] > 50 and load["failures"] == 0 and load["rps"] > 10
    assert load["p50_ms"] <= load["p90_ms"] <= load["p99_ms"] <= load["max_ms"]
    assert len(load["timeline"]) == 5 and load["pings"] >= 3
    assert len(load["generator_cpu_percent"]) == 1


def test_slow_model_breaks_the_p99_slo(sample_images):
    slo = LoadSettings(users=2, spawn_rate=2, duration_s=5, p99_ms=500)
    report = check_image(sample_images["good-minimal"], env={"MS_INVOKE_DELAY_S": "1.0"},
                         only=("load",), load=slo)
    latency = by_id(report)["load.latency"]
    assert latency.status is Status.FAIL and latency.measured >= 1000 and latency.limit == 500
    assert by_id(report)["load.generator"].status is Status.PASS, "two slow users cannot saturate it"
    assert report.verdict == "fail"


def test_health_check_stalling_behind_requests_fails_load_ping(sample_images):
    report = check_image(sample_images["broken-inference.concurrency"], only=("load",), load=SHORT)
    ping = by_id(report)["load.ping"]
    assert ping.status is Status.FAIL and ping.measured > 2000
    assert by_id(report)["load.errors"].status is Status.PASS


def test_locust_distributed_mode_with_local_workers(sample_images):
    report = check_image(sample_images["good-minimal"], only=("load.throughput", "load.generator"),
                         load=LoadSettings(users=4, spawn_rate=4, duration_s=5, workers=2))
    assert report.section("load").data["requests"] > 50
    assert len(report.section("load").data["generator_cpu_percent"]) == 3, "master and two workers"
    assert by_id(report)["load.throughput"].status is Status.PASS


def test_exported_locustfile_runs_with_plain_locust(sample_images, tmp_path):
    path = tmp_path / "locustfile.py"
    export_locustfile(path, PAYLOAD, "text/csv", "*/*", SHORT)
    config = RunConfig(image=sample_images["good-minimal"], payload=PAYLOAD, content_type="text/csv",
                       model=MODEL)
    with serving_endpoint(config) as endpoint:
        done = subprocess.run([sys.executable, "-m", "locust", "-f", str(path), "--headless", "-u", "3",
                               "-r", "3", "-t", "3s", "--only-summary"], capture_output=True, text=True,
                              timeout=60, env={**os.environ, "SMC_LOAD_HOST": endpoint.base_url})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/invocations" in done.stderr + done.stdout and "/ping" in done.stderr + done.stdout


def test_load_through_the_pytest_plugin(pytester, sample_images):
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--sagemaker-image", sample_images["good-minimal"],
        "--sagemaker-payload", str(PAYLOAD), "--sagemaker-content-type", "text/csv",
        "--sagemaker-model", str(MODEL), "--sagemaker-load", "--sagemaker-users", "2",
        "--sagemaker-duration", "3s", "-k", "load")
    load = [s.id for s in select("serve", options=("load",)) if s.id.startswith("load.")]
    result.assert_outcomes(passed=len(load), deselected=len(select("serve")))   # the six load.* checks


def test_master_and_two_workers_as_separate_processes_over_tcp(sample_images, tmp_path):
    """--load-master takes workers that connect over TCP; each `load-worker` is its own
    process with no payload file: the master sends the body, locust the target."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cli = [sys.executable, "-m", "conformance"]
    check = subprocess.Popen(cli + ["check", sample_images["good-minimal"], "--payload", str(PAYLOAD),
                                    "--content-type", "text/csv", "--model", str(MODEL), "--load",
                                    "--users", "4", "--duration", "5s", "--load-master", f"127.0.0.1:{port}",
                                    "--remote-workers", "2", "--checks", "load.throughput,load.errors",
                                    "--json", str(tmp_path / "r.json")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers = [subprocess.Popen(cli + ["load-worker", "--master", f"127.0.0.1:{port}", "--timeout", "180"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
               for _ in range(2)]
    try:
        output, _ = check.communicate(timeout=240)
        codes = [worker.wait(timeout=90) for worker in workers]
    finally:
        for process in [check, *workers]:
            if process.poll() is None:
                process.kill()
    assert check.returncode == 0, output
    assert codes == [0, 0], "each worker ends when the master quits"
    load = json.loads((tmp_path / "r.json").read_text())["sections"]["load"]["data"]
    assert load["remote_workers"] == 2 and load["failures"] == 0
    assert load["requests"] > 50, "every request came from the two remote workers"
    assert len(load["generator_cpu_percent"]) == 1, "only the master runs on this side"
