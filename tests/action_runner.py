"""action.yml run without GitHub, as a runner runs it: each `run` step's command with the
environment a runner gives (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
GITHUB_PATH honoured between steps, RUNNER_TEMP, inputs resolved), its `if:` evaluated;
a `uses` step (the artifact upload) cannot run here and is recorded with its resolved
inputs instead. The runner's Python is the one these tests run on (as after
actions/setup-python), or the system's: on this project's Debian machines an "externally
managed" one (PEP 668), where a plain `pip install` is refused."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SYSTEM_PYTHON = Path("/usr/bin/python3")
_EXPR = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


@dataclass
class ActionRun:
    code: int
    outputs: dict
    summary: str
    log: str = ""                                  # every run step's stdout and stderr
    uploads: list = field(default_factory=list)    # the `with:` of each `uses` step that would run


def externally_managed(python: Path = SYSTEM_PYTHON) -> bool:
    found = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    return (Path(found) / "EXTERNALLY-MANAGED").is_file()


# The Python a runner has after actions/setup-python: the one these tests run on.
SETUP_PYTHON = Path(sys.base_prefix) / "bin" / "python3"


def make_runner_env(temp: Path, python: Path = SETUP_PYTHON) -> dict:
    """`python3` on PATH is `python`; RUNNER_TEMP (where the Action keeps its virtual
    environment, reused by later runs as on a self-hosted runner) is a folder of the session."""
    runner_bin = temp / "runner-bin"
    runner_bin.mkdir(parents=True, exist_ok=True)
    if not (runner_bin / "python3").exists():
        (runner_bin / "python3").symlink_to(python)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "PATH": f"{runner_bin}:{env['PATH']}", "GITHUB_ACTION_PATH": str(ROOT),
            "RUNNER_TEMP": str(temp)}


def _value(name: str, inputs: dict, outputs: dict) -> str:
    if name.startswith("inputs."):
        return inputs[name[len("inputs."):]]
    if name.startswith("steps.check.outputs."):
        return outputs.get(name[len("steps.check.outputs."):], "")
    raise AssertionError(f"action.yml uses an expression this runner does not know: {name}")


def resolve(value: str, inputs: dict, outputs: dict) -> str:
    return _EXPR.sub(lambda m: _value(m.group(1), inputs, outputs), str(value))


def condition(text: str, inputs: dict, outputs: dict, failed: bool) -> bool:
    """The `if:` forms action.yml uses: always(), and NAME != '' joined by &&."""
    if not text:
        return not failed
    result, always = True, False
    for term in (t.strip() for t in text.split("&&")):
        if term == "always()":
            always = True
        elif term.endswith("!= ''"):
            result = result and _value(term[:-len("!= ''")].strip(), inputs, outputs) != ""
        else:
            raise AssertionError(f"action.yml uses a condition this runner does not know: {term}")
    return result and (always or not failed)


def run_action(with_inputs: dict, env: dict, workdir: Path) -> ActionRun:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(with_inputs)
    output, summary, path_file = workdir / "output", workdir / "summary.md", workdir / "github-path"
    env = {**env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_PATH": str(path_file)}
    run = ActionRun(0, {}, "")
    for step in ACTION["runs"]["steps"]:
        run.outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
        if not condition(step.get("if", ""), inputs, run.outputs, failed=run.code != 0):
            continue
        if "uses" in step:
            run.uploads.append({k: resolve(v, inputs, run.outputs) for k, v in step.get("with", {}).items()})
            continue
        added = path_file.read_text().split() if path_file.exists() else []
        step_env = {k: resolve(v, inputs, run.outputs) for k, v in step.get("env", {}).items()}
        step_env["PATH"] = ":".join([*reversed(added), env["PATH"]])
        done = subprocess.run(["bash", "-c", step["run"]], env={**env, **step_env}, cwd=workdir,
                              capture_output=True, text=True, timeout=900)
        run.code, run.log = done.returncode, run.log + done.stdout + done.stderr
    run.outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    run.summary = summary.read_text() if summary.exists() else ""
    return run
