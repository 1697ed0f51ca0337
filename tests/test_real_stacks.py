"""Real serving stacks from PyPI, laid out as their authors' SageMaker images are, judged
through the real engine. Each verdict here was confirmed by hand (README, "Real stacks")."""
from __future__ import annotations

import tarfile

from conformance.model import Status
from conformance.modes.pipeline.settings import PipelineSettings
from conftest import ROOT
from helpers import by_id, check_image

HF_MODEL = ROOT / "fixtures" / "hf-model"   # model.json and code/inference.py, as the toolkit expects


def test_hugging_face_toolkit_without_a_framework_is_failed_for_what_it_breaks(sample_images):
    """AWS's Hugging Face inference toolkit from PyPI with a complete inference.py but no
    PyTorch or TensorFlow: MMS starts and /ping says 200, yet every request fails (the
    toolkit's GPU probe needs a framework), and SIGTERM never ends the container (the DLC
    entry point waits on `tail -f /dev/null` after the server stops)."""
    report = check_image(sample_images["real-hf-toolkit"], model=HF_MODEL, startup_timeout_s=120.0)
    results = by_id(report)
    assert report.verdict == "fail"
    for ok in ("inference.startup", "inference.port", "inference.bind", "inference.ping", "inference.ping.latency",
               "image.entrypoint.handles-arg", "inference.errors", "inference.bind-to-port"):
        assert results[ok].status is Status.PASS, (ok, results[ok].message)
    invocations = results["inference.invocations"]
    assert invocations.status is Status.FAIL and invocations.measured == 400
    assert "At least one of TensorFlow 2.0 or PyTorch should be installed" in invocations.message
    assert results["inference.ping.truth"].status is Status.FAIL, "/ping said 200 before the model could serve"
    sigterm = results["lifecycle.sigterm"]
    assert sigterm.status is Status.WARN and "killed (SIGKILL)" in sigterm.message


MLFLOW_MODEL = ROOT / "fixtures" / "mlflow-model"   # a python_function model by loader module


def test_mlflow_container_in_mlserver_mode_keeps_every_must_rule_and_warns(sample_images):
    """MLflow 2's model container with ENABLE_MLSERVER=true (MLServer on 8080, the
    mlserver-mlflow runtime's /ping and /invocations): every MUST rule holds; POST /ping is
    405 and bad bodies get a 500 (an empty CSV: a traceback in the body)."""
    report = check_image(sample_images["real-mlflow-mlserver"], model=MLFLOW_MODEL, startup_timeout_s=120.0)
    results = by_id(report)
    assert report.verdict == "warn", {r.id: r.message for r in report.results if r.status is not Status.PASS}
    assert results["inference.ping.post"].status is Status.WARN and results["inference.ping.post"].measured == 405
    errors = results["inference.errors.status"]
    assert errors.status is Status.WARN and errors.measured == 500 and "empty body: 500" in errors.message


def test_mlservers_crashing_worker_pool_is_never_failed_before_the_window(sample_images):
    """With its parallel workers on (MLflow's default), MLServer restarts a crashing worker
    every second and /ping stays 404; sometimes it gives up and the container exits 0
    (MLflow's wrapper exits when its server does). Each outcome gets the verdict its
    evidence allows: an exit before a healthy /ping fails inference.startup; a restart loop
    cut short by --startup-timeout is "could not judge" (the restarts keep the container
    busy, so it is not stuck). Neither fails inference.ping on 404s seen before the window."""
    # 40 s: under a parallel suite's CPU load MLServer's first worker crash can take a while;
    # no settle time: this test is about the exit and the cut-short wait, not a stuck start
    report = check_image(sample_images["real-mlflow-mlserver"], model=MLFLOW_MODEL, startup_timeout_s=40.0,
                         settle_time_s=0.0, env={"MLSERVER_INFER_WORKERS": "2", "MLSERVER_PARALLEL_WORKERS": "2"},
                         only=("inference.startup", "inference.ping"))
    startup, ping = by_id(report)["inference.startup"], by_id(report)["inference.ping"]
    if "exited with code" in startup.message:
        assert startup.status is Status.FAIL
    else:
        assert startup.status is Status.ERROR and "could not judge" in startup.message, startup.message
        assert "--startup-timeout" in ping.message
    assert ping.status is Status.SKIP, ping.message
    assert "There is no current event loop" in startup.logs


RAY_MODEL = ROOT / "fixtures" / "ray-model"   # config.yaml, deployment.py and model.json, as the Ray DLC expects


def test_ray_serve_behind_the_dlc_adapter_keeps_every_must_rule_and_warns(sample_images, tmp_path):
    """Ray Serve behind a SageMaker adapter, laid out as AWS's Ray Serve DLC: every MUST rule
    holds; POST /ping gets 405 (the adapter routes GET only), and SIGTERM never reaches a
    server: PID 1 is the bash entry point, which runs the adapter as a child without exec.
    The model goes in as the DLC's guide packs it: `tar czf model.tar.gz -C model-dir .`"""
    archive = tmp_path / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(RAY_MODEL.iterdir()):
            tar.add(path, arcname=f"./{path.name}")
    report = check_image(sample_images["real-ray-serve"], model=archive, startup_timeout_s=150.0)
    results = by_id(report)
    assert report.verdict == "warn", {r.id: r.message for r in report.results if r.status is not Status.PASS}
    assert {r.id for r in report.results if r.status is not Status.PASS} == {
        "inference.ping.post", "lifecycle.sigterm", "inference.bind-to-port"}
    kept = results["inference.bind-to-port"]   # the label promises SAGEMAKER_BIND_TO_PORT; the adapter keeps 8080
    assert kept.status is Status.WARN and kept.measured == 8080 and "0.0.0.0:8000" in kept.message
    assert results["inference.ping.post"].measured == 405
    sigterm = results["lifecycle.sigterm"]
    assert "killed (SIGKILL)" in sigterm.message and "sagemaker_entrypoint.sh serve" in sigterm.message
    # the entry point's fixed pauses (3 x 5 s) come before the adapter opens 8080
    assert results["inference.startup"].measured >= 15


def test_ray_serve_says_healthy_before_its_model_has_loaded(sample_images):
    """The adapter answers /ping from the Serve proxy's /-/healthz, which is healthy as soon as
    the proxy runs, not when the application's replica has loaded its model. With a 90 s load
    the first request after the healthy /ping is held past the 60 s invocation limit."""
    report = check_image(sample_images["real-ray-serve"], model=RAY_MODEL, startup_timeout_s=150.0,
                         env={"IRIS_LOAD_S": "90"}, only=("inference.startup", "inference.ping.truth"))
    startup, truth = by_id(report)["inference.startup"], by_id(report)["inference.ping.truth"]
    assert startup.status is Status.PASS and startup.measured < 90, startup.message   # the load alone takes 90 s
    assert truth.status is Status.FAIL, truth.message
    assert "/ping said 200, but the first invocation failed" in truth.message
    assert "no answer within" in truth.message and "no success in 1 attempt over 6" in truth.message, truth.message


def test_ray_serve_claims_bind_to_port_but_keeps_8080(sample_images):
    """The image carries accept-bind-to-port=true, yet the adapter always listens on 8080 and
    Ray's own servers (the Serve proxy on 8000, the GCS on 6379, ...) on ports outside the safe
    range: as a pipeline's first container, told to use 8081, nothing answers there. The
    second container is waited for beside it, so its time to healthy is its own, not the
    45 s spent on the first."""
    second = sample_images["good-pipeline-model"]
    report = check_image(sample_images["real-ray-serve"], model=RAY_MODEL, startup_timeout_s=45.0,
                         mode_settings=PipelineSettings((second,), "serial"),
                         only=("pipeline.label", "pipeline.bind", "inference.startup"))
    label, bind = by_id(report)["pipeline.label"], by_id(report)["pipeline.bind"]
    assert label.status is Status.PASS, label.message
    assert bind.status is Status.FAIL
    ray_part = bind.message.split("container-2")[0]
    assert "container-1" in ray_part and "does not listen on 8081" in ray_part and "0.0.0.0:8080" in ray_part
    assert "0.0.0.0:8000" in ray_part and "0.0.0.0:6379" in ray_part
    starts = by_id(report)["inference.startup"].details["containers"]
    assert starts[f"container-1 ({sample_images['real-ray-serve']})"]["status"] == "error"   # cut short: not judged
    own = starts[f"container-2 ({second})"]
    assert own["status"] == "pass" and own["measured"] < 20, own
    # what the terminal shows as the last log lines comes from a container that has logged
    logs = report_logs(report)
    assert logs.startswith("--- container-1") and "--- container-2" in logs, logs
    assert logs.split("\n")[1].strip() and "listening on 0.0.0.0:8082" in logs, logs


def report_logs(report) -> str:
    return next((r.logs for r in report.results if r.logs), "")
