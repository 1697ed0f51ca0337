"""--mode async through real containers: the serving contract with async's limits; a body
streamed from disk, server timeouts read from the configuration, concurrent invocations.
Each async.* check is failed by its broken sample and passed by a good one."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checks import select
from conformance.modes.asynchronous.settings import AsyncSettings
from conformance.model import Mode, Status
from conftest import ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
BROKEN = sorted(p.name for p in (ROOT / "sample_containers" / "broken").iterdir() if p.name.startswith("async."))
SMALL = AsyncSettings(payload_bytes=32 * 1024 * 1024, invocation_timeout_s=900.0, max_concurrent=4)


def in_async(image: str, **more):
    return check_image(image, mode_settings=more.pop("settings", SMALL), **more)


def test_every_async_check_has_a_broken_sample():
    assert {s.id for s in select(Mode.ASYNC) if Mode.ASYNC in s.modes} == set(BROKEN)


def test_uvicorn_passes_every_async_check(sample_images):
    report = in_async(sample_images["good-streaming"],
                      settings=AsyncSettings(payload_bytes=4 * 1024 * 1024, max_concurrent=4))
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in select(Mode.ASYNC)}
    assert "uvicorn" in by_id(report)["async.timeout"].message


def test_a_stdlib_server_streams_32_mib_and_its_timeout_is_not_guessed(sample_images):
    report = in_async(sample_images["good-minimal"], only=("async",))
    results = by_id(report)
    assert results["async.payload"].status is Status.PASS
    assert results["async.payload"].measured >= 32 * 1024 * 1024 - 64
    assert results["async.concurrency"].status is Status.PASS
    timeout = results["async.timeout"]
    assert timeout.status is Status.SKIP and "not measured" in timeout.message   # never a guess


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_async_image_fails_its_check(sample_images, check_id):
    report = in_async(sample_images[f"broken-{check_id}"], only=(check_id,))
    result = by_id(report)[check_id]
    assert result.status is Status.FAIL, result.message
    assert report.verdict == "fail"


def test_the_classic_layout_is_cut_by_its_own_timeouts(sample_images):
    """nginx -> gunicorn with proxy_read_timeout 65s: fine for real-time, not for async."""
    result = by_id(in_async(sample_images["good-serving"], only=("async.timeout",)))["async.timeout"]
    assert result.status is Status.FAIL and result.measured == 65 and "nginx" in result.message
    assert "not measured" in result.message


@pytest.mark.parametrize("args, says", [
    (["--mode", "async", "--invocation-timeout", "4000"], "must be 1-3600"),
    (["--invocation-timeout", "100"], "to --mode async"),
    (["--mode", "async", "--max-concurrent-invocations", "0"], "must be 1-1000"),
])
def test_async_usage_errors(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_server_that_refuses_bodies_over_100_mb_fails_with_the_default_1_gb(sample_images, tmp_path):
    """Issue #23: a 413 above 100 MB must not pass. The default --async-payload-size (1 GB)
    is streamed from disk through the CLI; the server answers 413 as soon as it reads the
    Content-Length."""
    import json
    from conftest import MODEL, PAYLOAD
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-minimal"],
                           "--mode", "async", "--model", str(MODEL), "--payload", str(PAYLOAD),
                           "--content-type", "text/csv", "--env", "MS_MAX_BODY=104857600",
                           "--checks", "async.payload", "--json", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    result = json.loads((tmp_path / "r.json").read_text())["checks"][0]
    assert done.returncode == 1, done.stdout[-2000:]
    assert result["status"] == "fail" and result["measured"] == 413
    assert "1073741" in result["message"]
