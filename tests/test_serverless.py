"""--mode serverless through real containers: the serving contract within a memory size
(a hard limit, vCPUs in proportion), 4 MB bodies, a 3-minute start-up window, and the
serverless.* checks, each failed by its broken sample."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.checks import select
from conformance.checks.serverless import image as image_check
from conformance.model import Mode, Status
from conformance.modes.serverless.settings import ServerlessSettings
from conftest import ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
SERVERLESS_ONLY = {s.id for s in select(Mode.SERVERLESS) if Mode.SERVERLESS in s.modes}


def serverless(image: str, memory_size_mb: int = 1024, **more):
    return check_image(image, mode_settings=ServerlessSettings(memory_size_mb),
                       startup_window_s=180.0, **more)


def test_a_good_image_passes_every_serverless_check(sample_images):
    report = serverless(sample_images["good-minimal"])
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in select(Mode.SERVERLESS)}
    assert SERVERLESS_ONLY <= {r.id for r in report.results}
    assert report.environment["memory_bytes"] == 1024 * 1024 * 1024
    used = by_id(report)["serverless.memory"]
    assert 0 < used.measured < 1024 and used.unit == "MiB"


def test_an_image_holding_1_5_gib_is_killed_for_memory_at_1024(sample_images):
    report = serverless(sample_images["broken-serverless.memory"], startup_timeout_s=30.0)
    memory = by_id(report)["serverless.memory"]
    assert memory.status is Status.FAIL, memory.message
    assert "killed for memory" in memory.message and memory.details["exit_code"] == 137
    assert by_id(report)["inference.startup"].status is Status.FAIL
    roomy = serverless(sample_images["broken-serverless.memory"], memory_size_mb=2048)
    assert by_id(roomy)["serverless.memory"].status is Status.PASS


def test_a_5_mb_response_passes_real_time_and_fails_serverless(sample_images):
    padded = {"MS_RESPONSE_PAD_BYTES": "5000000"}
    real_time = check_image(sample_images["good-minimal"], env=padded, only=("inference.invocations",))
    assert by_id(real_time)["inference.invocations"].status is Status.PASS
    report = serverless(sample_images["good-minimal"], env=padded, only=("inference.invocations",))
    result = by_id(report)["inference.invocations"]
    assert result.status is Status.FAIL and result.limit == 4 * 1024 * 1024


@pytest.mark.parametrize("check_id", ["serverless.workers", "serverless.user"])
def test_broken_serverless_image_warns(sample_images, check_id):
    report = serverless(sample_images[f"broken-{check_id}"], only=(check_id,))
    result = by_id(report)[check_id]
    assert result.status is Status.WARN, result.message
    assert report.verdict == "warn"


def test_writes_over_the_ephemeral_disk_fail(sample_images, monkeypatch):
    """16 MiB written at start against a limit lowered to 8 MiB (5 GB would take minutes)."""
    from conformance.checks.serverless import disk
    good = by_id(serverless(sample_images["broken-serverless.disk"], only=("serverless.disk",)))["serverless.disk"]
    assert good.status is Status.PASS and 16 <= good.measured < 100   # 5 GB is far away
    monkeypatch.setattr(disk, "DISK_LIMIT_BYTES", 8 * 1024 * 1024)
    result = by_id(serverless(sample_images["broken-serverless.disk"], only=("serverless.disk",)))["serverless.disk"]
    assert result.status is Status.FAIL and result.details["size_rw_bytes"] >= 16 * 1024 * 1024


def test_an_image_over_the_size_limit_fails(sample_images, monkeypatch):
    """No 10 GiB image is built here: the limit is lowered below a real image's size."""
    monkeypatch.setattr(image_check, "IMAGE_LIMIT_BYTES", 1024 * 1024)
    report = serverless(sample_images["good-minimal"], only=("serverless.image",))
    result = by_id(report)["serverless.image"]
    assert result.status is Status.FAIL and result.details["size_bytes"] > 1024 * 1024


@pytest.mark.parametrize("args, says", [
    (["--memory-size", "1500"], "must be one of 1024, 2048"),
    ([], "must be one of"),
    (["--memory-size", "1024", "--memory", "2g"], "--memory does not apply"),
    (["--memory-size", "1024", "--startup-window", "300"], "fixed at 180 s"),
    (["--memory-size", "1024", "--target", "http://127.0.0.1:9"], "--target does not apply"),
])
def test_serverless_usage_errors(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal",
                           "--mode", "serverless", *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in done.stdout + done.stderr, done.stdout + done.stderr


def test_memory_size_needs_serverless():
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal",
                           "--memory-size", "1024"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "applies to --mode serverless" in done.stdout


def test_a_container_that_writes_nothing_passes_the_disk_check(sample_images, tmp_path):
    """The engine leaves SizeRw out when it is 0: that is 0 bytes written, not an error."""
    import json
    from conftest import MODEL, PAYLOAD
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-stdlib"],
                           "--mode", "serverless", "--memory-size", "2048", "--model", str(MODEL),
                           "--payload", str(PAYLOAD), "--content-type", "text/csv",
                           "--env", "PYTHONDONTWRITEBYTECODE=1", "--checks", "serverless.disk",
                           "--json", str(tmp_path / "r.json")], capture_output=True, text=True,
                          timeout=180, cwd=ROOT)
    disk = json.loads((tmp_path / "r.json").read_text())["checks"][0]
    assert done.returncode == 0, done.stdout[-2000:]
    assert disk["id"] == "serverless.disk" and disk["status"] == "pass" and disk["measured"] == 0.0
    assert disk["details"]["size_rw_bytes"] == 0
