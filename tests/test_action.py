"""action.yml run without GitHub: every step's command with the environment a runner
gives (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, inputs resolved), for a
passing and a failing image, in a fresh virtual environment."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import MODEL, PAYLOAD, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def resolve(value: str, inputs: dict) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(value))


@pytest.fixture(scope="module")
def runner_env(tmp_path_factory):
    venv = tmp_path_factory.mktemp("runner") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    return {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "GITHUB_ACTION_PATH": str(ROOT)}


def run_action(with_inputs: dict, env: dict, workdir) -> tuple[int, dict, str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(with_inputs)
    output, summary = workdir / "output", workdir / "summary.md"
    env = {**env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    code = 0
    for step in ACTION["runs"]["steps"]:
        step_env = {k: resolve(v, inputs) for k, v in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-c", step["run"]], env={**env, **step_env}, cwd=workdir,
                              capture_output=True, text=True, timeout=600)
        code = done.returncode
        if code != 0:
            break
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    return code, outputs, summary.read_text() if summary.exists() else ""


def test_action_declares_what_the_runner_needs():
    assert ACTION["runs"]["using"] == "composite"
    assert {"image", "mode", "payload", "content-type", "model", "strict", "load", "report-dir"} <= set(ACTION["inputs"])
    assert {"verdict", "json-report", "html-report"} <= set(ACTION["outputs"])
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], "inputs reach scripts through env, never inline"


@pytest.mark.parametrize("image, code, verdict", [("good-minimal", 0, "pass"),
                                                  ("broken-inference.headers", 1, "fail")])
def test_action_steps_pass_and_fail(sample_images, runner_env, tmp_path, image, code, verdict):
    inputs = {"image": sample_images[image], "payload": str(PAYLOAD), "content-type": "text/csv",
              "model": str(MODEL), "load": "true", "users": "2", "duration": "3s"}
    exit_code, outputs, summary = run_action(inputs, runner_env, tmp_path)
    assert exit_code == code
    assert outputs["verdict"] == verdict
    assert (tmp_path / outputs["html-report"]).is_file() and (tmp_path / outputs["json-report"]).is_file()
    assert f"**{verdict.upper()}**" in summary and "### Load" in summary
    if verdict == "fail":
        assert "`inference.headers`" in summary and "How to fix" in summary
