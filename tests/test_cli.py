"""The CLI as a user runs it: exit codes, messages without tracebacks, reports that
validate, and nothing left behind after Ctrl-C or a killed run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conformance.registry import select
from conformance.reporters.json_report import schema
from conftest import MODEL, PAYLOAD, ROOT

CLI = [sys.executable, "-m", "conformance"]


def owned_by(pid: int) -> dict:
    """Only what this test's own run made: other runs may share the engine (CI runners)."""
    return {"label": f"sagemaker-conformance.owner-pid={pid}"}


def cli(*args, env=None, timeout=180):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def serve_args(image):
    return ["check", image, "--payload", str(PAYLOAD), "--content-type", "text/csv",
            "--model", str(MODEL), "--stop-timeout", "5"]


def test_pass_exit_0_with_json_and_junit(sample_images, tmp_path):
    result = cli(*serve_args(sample_images["good-minimal"]), "--json", str(tmp_path / "r.json"),
                 "--junit", str(tmp_path / "r.xml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: PASS" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(report, schema())
    assert report["verdict"] == "pass" and [c["id"] for c in report["checks"]] == [s.id for s in select("serve")]
    assert report["must_not_run"] == [] and report["error"] is None
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert suite.get("tests") == str(len(select("serve"))) and suite.get("failures") == "0"


def test_fail_exit_1_names_the_check_and_the_fix(sample_images, tmp_path):
    result = cli(*serve_args(sample_images["broken-inference.bind"]), "--json", str(tmp_path / "r.json"),
                 "--junit", str(tmp_path / "r.xml"))
    assert result.returncode == 1
    assert "fail inference.bind" in result.stdout and "127.0.0.1:8080" in result.stdout
    assert "fix: Bind to 0.0.0.0:8080" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(report, schema())
    failures = ET.parse(tmp_path / "r.xml").getroot().findall(".//testcase[@name='inference.bind']/failure")
    assert failures and "127.0.0.1" in failures[0].get("message")


def test_warn_exits_0_unless_strict(sample_images):
    args = serve_args(sample_images["broken-image.user.root"]) + ["--checks", "image"]
    assert cli(*args).returncode == 0
    assert cli(*args, "--strict").returncode == 1


def test_usage_and_environment_errors_exit_2_without_traceback(sample_images, tmp_path):
    cases = [
        (["check", "no-such-image:never"], {}, "image not found"),
        (serve_args(sample_images["good-minimal"])[:2] + ["--payload", str(tmp_path / "nope.csv")], {},
         "payload file not found"),
        (["check", sample_images["good-minimal"]], {"DOCKER_HOST": "unix:///nonexistent.sock"},
         "Docker is not reachable"),
        (["check", sample_images["good-minimal"], "--instance-type", "ml.nope.large"], {},
         "unknown instance type"),
        (["check", sample_images["good-minimal"], "--checks", "inference.nope"], {}, "no check matches"),
        (["check", sample_images["good-minimal"], "--env", "NOEQUALS"], {}, "KEY=VALUE"),
    ]
    for args, env, message in cases:
        result = cli(*args, env=env)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr


def _wait_for_labelled_container(client, pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.containers.list(filters=owned_by(pid)):
            return True
        time.sleep(0.1)
    return False


def test_ctrl_c_removes_everything(sample_images, docker_client):
    proc = subprocess.Popen(CLI + serve_args(sample_images["broken-lifecycle.sigterm"]), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for_labelled_container(docker_client, proc.pid)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    assert not docker_client.containers.list(all=True, filters=owned_by(proc.pid))
    assert not docker_client.networks.list(filters=owned_by(proc.pid))


def run_folders(pid: int) -> list:
    """The run folders (engine/scratch.py) whose owner is this process id."""
    from conformance.engine.scratch import OWNER_FILE, PREFIX, scratch_root
    found = []
    for folder in scratch_root().glob(PREFIX + "*"):
        try:
            owner = json.loads((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if owner.get("sagemaker-conformance.owner-pid") == str(pid):
            found.append(folder)
    return found


def test_clean_removes_what_a_killed_run_left_and_nothing_else(sample_images, docker_client):
    alive = subprocess.Popen(CLI + serve_args(sample_images["good-minimal"]), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = subprocess.Popen(CLI + serve_args(sample_images["good-minimal"]), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for_labelled_container(docker_client, alive.pid)
        assert _wait_for_labelled_container(docker_client, killed.pid)
        killed.kill()
        killed.wait(timeout=30)
        assert docker_client.containers.list(all=True, filters=owned_by(killed.pid)), \
            "SIGKILL leaves the container"
        assert run_folders(killed.pid), "SIGKILL leaves the unpacked model's folder"
        result = cli("clean")
        assert result.returncode == 0 and "stale run" in result.stdout
        assert not docker_client.containers.list(all=True, filters=owned_by(killed.pid))
        assert not docker_client.networks.list(filters=owned_by(killed.pid))
        assert not run_folders(killed.pid), "the killed run's temporary folder is removed"
        assert docker_client.containers.list(all=True, filters=owned_by(alive.pid)), \
            "a run that is still going is not touched"
        assert run_folders(alive.pid), "nor its folder"
    finally:
        alive.send_signal(signal.SIGINT)
        alive.wait(timeout=60)


def test_list_checks_shows_every_id():
    """Every registered check, once, in the registry's order, with its severity: the
    listing is compared with the registry, not with two ids."""
    from conformance.registry import all_checks
    result = cli("list-checks")
    assert result.returncode == 0
    rows = [line.split() for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    specs = all_checks()
    assert [row[0] for row in rows] == [s.id for s in specs]
    assert [row[1] for row in rows] == [s.severity.value for s in specs]
    assert len(specs) == len({s.id for s in specs}) >= 74   # 74 built in today


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_clean_up_and_still_write_the_reports(sample_images, docker_client, tmp_path, signum, code):
    report = tmp_path / "r.json"
    proc = subprocess.Popen(CLI + serve_args(sample_images["broken-lifecycle.sigterm"]) + ["--json", str(report)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for_labelled_container(docker_client, proc.pid)
    time.sleep(1.0)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, out + err
    assert "Traceback" not in err
    assert not docker_client.containers.list(all=True, filters=owned_by(proc.pid))
    data = json.loads(report.read_text())
    assert data["verdict"] == "error" and f"interrupted ({signal.Signals(signum).name})" in data["error"]
