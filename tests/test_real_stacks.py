"""Real serving stacks from PyPI, laid out as their authors' SageMaker images are, judged
through the real engine. Each verdict here was confirmed by hand (README, "Real stacks")."""
from __future__ import annotations

from conformance.model import Status
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
               "image.entrypoint.handles-arg", "inference.errors"):
        assert results[ok].status is Status.PASS, (ok, results[ok].message)
    invocations = results["inference.invocations"]
    assert invocations.status is Status.FAIL and invocations.measured == 400
    assert "At least one of TensorFlow 2.0 or PyTorch should be installed" in invocations.message
    assert results["inference.ping.truth"].status is Status.FAIL, "/ping said 200 before the model could serve"
    sigterm = results["lifecycle.sigterm"]
    assert sigterm.status is Status.WARN and "killed (SIGKILL)" in sigterm.message
