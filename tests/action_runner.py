"""action.yml run without GitHub: every step's command with the environment a runner
gives (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, inputs resolved)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def resolve(value: str, inputs: dict) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(value))


def make_runner_env(venv) -> dict:
    """A fresh virtual environment, as a runner's Python before the Action installs itself."""
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
