"""The package as a user installs it: a wheel in a clean venv, with the reports' JSON
Schema inside, and every third-party module the code imports declared in pyproject.toml."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions

from conformance import __version__
from conftest import ROOT

# The plugin module imports pytest, but only pytest itself ever loads it (entry point pytest11).
LOADED_BY_THEIR_HOST = {"pytest"}


def imported_top_level_modules() -> set:
    names = set()
    for path in (ROOT / "conformance").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"conformance", "tomli"} - LOADED_BY_THEIR_HOST


def declared_distributions() -> set:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["capture"]
    return {re.match(r"[A-Za-z0-9_.\-]+", r).group(0).lower() for r in requirements}


def test_every_imported_module_is_declared():
    to_distribution = packages_distributions()
    declared = declared_distributions()
    undeclared = {module: to_distribution.get(module, ["?"]) for module in imported_top_level_modules()
                  if not {d.lower() for d in to_distribution.get(module, [])} & declared}
    assert not undeclared, f"imported but not in pyproject.toml: {undeclared}"
    assert {"psutil", "gevent", "docker", "locust"} <= imported_top_level_modules()


def test_a_built_wheel_installs_and_runs_in_a_clean_venv(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(ROOT)], check=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("sagemaker_conformance-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin/pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, timeout=600)
    run = lambda *args: subprocess.run([venv / "bin/sagemaker-conformance", *args], capture_output=True,  # noqa: E731
                                       text=True, timeout=60, cwd=tmp_path)
    assert run("--version").stdout.strip() == f"sagemaker-conformance {__version__}"
    assert "inference.ping.latency" in run("list-checks").stdout
    assert run("config", "--users", "3").returncode == 0
    probe = subprocess.run([venv / "bin/python", "-c",
                            "from conformance.reporters.json_report import schema; import conformance;"
                            "print(schema()['title'], conformance.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)
    assert str(venv) in probe.stdout, "imported from the wheel, not from the checkout"
