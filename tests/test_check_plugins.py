"""Checks from outside the project: the worked example examples/org-checks, installed with
pip, joins the registry through the entry-point group sagemaker_conformance.checks; its
check passes an image that keeps the rule, fails one that breaks it, in the CLI and in
pytest; a plugin that cannot load is a usage error with its name, not a traceback."""
from __future__ import annotations

import io
import json
import os
import subprocess
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LABEL = "org.opencontainers.image.source"


def pip_install_target(package, target) -> None:
    """pip builds in the source folder: build from a copy, so the checkout stays clean."""
    package = shutil.copytree(package, Path(target).parent / f"{Path(package).name}-src", dirs_exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                    "--target", str(target), str(package)], check=True, timeout=300)


def cli(*args, site, cwd):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "conformance", *args], capture_output=True, text=True,
                          timeout=240, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def org_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("org-site")
    pip_install_target(ROOT / "examples" / "org-checks", site)
    return site


@pytest.fixture(scope="module")
def labelled_image(docker_client, sample_images):
    tag = "smc-test/good-minimal-labelled:latest"
    dockerfile = f'FROM {sample_images["good-minimal"]}\nLABEL {LABEL}="https://example.com/our/repo"\n'
    docker_client.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, rm=True)
    yield tag
    docker_client.images.remove(tag, force=True)


def test_list_checks_shows_where_each_check_comes_from(org_site, tmp_path):
    listing = cli("list-checks", site=org_site, cwd=tmp_path).stdout
    line = next(line for line in listing.splitlines() if line.startswith("org.image.source-label"))
    assert "MUST" in line and "[from org-checks 0.1.0]" in line
    assert "[from" not in next(line for line in listing.splitlines() if line.startswith("inference.ping "))
    listed = {c["id"]: c for c in json.loads(cli("list-checks", "--format", "json", site=org_site, cwd=tmp_path).stdout)}
    assert listed["org.image.source-label"]["since"] == "0.1.0", "a plugin's checks: its distribution's version"


def test_a_plugin_check_passes_and_fails_like_a_built_in_one(org_site, labelled_image, sample_images, tmp_path):
    args = ["--checks", "org,image.entrypoint", "--stop-timeout", "5", "--json"]
    good = cli("check", labelled_image, *args, "good.json", site=org_site, cwd=tmp_path)
    assert good.returncode == 0, good.stdout
    report = json.loads((tmp_path / "good.json").read_text())
    assert {c["id"]: c["status"] for c in report["checks"]}["org.image.source-label"] == "pass"
    bad = cli("check", sample_images["good-minimal"], *args, "bad.json", site=org_site, cwd=tmp_path)
    assert bad.returncode == 1 and "fail org.image.source-label" in bad.stdout, bad.stdout
    assert f"fix: Add `LABEL {LABEL}=" in bad.stdout


def test_a_plugin_check_is_a_pytest_item(org_site, pytester, sample_images, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(org_site))
    result = pytester.runpytest_subprocess("--sagemaker-image", sample_images["good-minimal"],
                                           "--sagemaker-checks", "org", "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*::org.image.source-label FAILED*"])


def installed_plugin(tmp_path, name: str, code: str):
    """A plugin distribution `<name>-checks` 1.0 whose entry point is the package <name>_checks
    holding `code`, pip-installed into a site folder of its own; returns that folder."""
    package = tmp_path / name
    (package / f"{name}_checks").mkdir(parents=True)
    (package / f"{name}_checks" / "__init__.py").write_text(code)
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        f'[project]\nname = "{name}-checks"\nversion = "1.0"\n'
        f'[project.entry-points."sagemaker_conformance.checks"]\n{name} = "{name}_checks"\n'
        f'[tool.setuptools]\npackages = ["{name}_checks"]\n')
    site = tmp_path / "site"
    pip_install_target(package, site)
    return site


def test_a_plugin_that_cannot_load_is_named_in_a_usage_error(tmp_path):
    site = installed_plugin(tmp_path, "broken", "import not_a_module_anywhere\n")
    result = cli("list-checks", site=site, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cannot load checks from broken-checks 1.0" in result.stdout
    assert "ModuleNotFoundError" in result.stdout and "Traceback" not in result.stderr


def test_a_plugin_check_id_the_report_schema_refuses_is_a_usage_error(tmp_path):
    """The id is checked where the check registers (registry.CHECK_ID, the schema's own
    pattern), so the run never gets as far as a report it cannot write."""
    from conformance.registry import CHECK_ID
    from conformance.reporters.json_report import schema
    assert schema()["$defs"]["check"]["properties"]["id"]["pattern"] == CHECK_ID.pattern
    site = installed_plugin(tmp_path, "badid", (
        "from conformance.checks import check\nfrom conformance.model import Phase, Severity\n"
        "@check(id='Org.Bad_Id', title='t', severity=Severity.SHOULD, phase=Phase.STATIC, source='s', remediation='r')\n"
        "def bad(ctx):\n    pass\n"))
    result = cli("list-checks", site=site, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "badid-checks 1.0" in result.stdout and "'Org.Bad_Id'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
