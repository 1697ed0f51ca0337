"""Every option, from every source (a flag, an SMC_* variable, pyproject.toml), with random
and edge values: the CLI ends with exit 0, 1 or 2 and never a traceback (issue #24, "make
it structural"). In-process and fast: the engine is pointed at a socket that does not
exist, so a run that resolves ends with exit 2 ("Docker unreachable") before any
container or traffic; `--target` gets only values that cannot name a server."""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conformance.cli import main
from conformance.options import OPTIONS

EXAMPLES = int(os.environ.get("SMC_PROPERTY_EXAMPLES", "400"))
RAN = {"examples": 0, "exits": {}}

EDGES = ["", " ", "0", "-1", "1", "nan", "inf", "-inf", "1e309", "99999999999999999999", "0.0001",
         "true", "no", "a=b", "=", "A=1\nB", "[", "]", "..", ".", "/dev/null", "nonexistent/x.json",
         "\x1b[31m", "é☃", "\r\n", "\t", "x" * 5000, "http://[::1", "ftp://x", "30s", "2m", "4g"]
TEXT = st.one_of(st.sampled_from(EDGES), st.text(max_size=40),
                 st.binary(max_size=20).map(lambda b: b.decode("latin-1")))
VALUE = st.one_of(TEXT, st.integers(min_value=-2 ** 70, max_value=2 ** 70),
                  st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                  st.lists(TEXT, max_size=3), st.dictionaries(st.text(max_size=5), TEXT, max_size=2))


def toml_value(value) -> str:
    """A TOML literal of `value` (JSON strings are TOML basic strings; nan and inf are TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def safe_for_target(option, value) -> bool:
    """A --target that parses would be called: only values that name no server."""
    return option.name != "target" or "://" not in str(value) or str(value).startswith(("http://[", "ftp:"))


def run(argv: list, environ: dict, cwd: Path) -> tuple[int, str]:
    out, before, here = io.StringIO(), dict(os.environ), os.getcwd()
    os.environ.update(environ)
    os.environ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                code = main(argv)
            except SystemExit as stop:   # argparse refusing a flag: exit 2 with its usage line
                code = stop.code
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(before)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("project")
    (folder / ".git").mkdir()   # the pyproject search stops at a repository's root
    return folder


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(option=st.sampled_from(OPTIONS), value=VALUE, source=st.sampled_from(["flag", "env", "pyproject"]))
def test_every_option_from_every_source_ends_in_exit_0_1_or_2(project, option, value, source):
    if not safe_for_target(option, value):
        return
    argv, environ = ["check"] + ([] if option.name == "image" else ["smc-sample/none"]), {}
    (project / "pyproject.toml").unlink(missing_ok=True)
    if source == "flag":
        if option.kind == "bool":
            argv.append(f"--{option.name}" if value else f"--no-{option.name}")
        elif option.name == "image":
            argv.append(str(value))
        else:
            argv += [f"--{option.name}", str(value)]
    elif source == "env":
        text = str(value)
        if "\x00" in text:   # a variable cannot hold NUL
            return
        environ[option.env] = text
    else:
        (project / "pyproject.toml").write_text(
            f"[tool.sagemaker-conformance]\n{option.key} = {toml_value(value)}\n", encoding="utf-8")
    code, output = run(argv, environ, project)
    RAN["examples"] += 1
    RAN["exits"][code] = RAN["exits"].get(code, 0) + 1
    assert code in (0, 1, 2), (option.name, source, value, code, output[-800:])
    assert "Traceback" not in output, (option.name, source, value, output[-800:])


@pytest.mark.parametrize("content", [b"[tool.sagemaker-conformance]\npayload = \"a\\u0000b\"\n",
                                     b"[tool.sagemaker-conformance]\nusers = \xff\xfe\n",
                                     b"[tool]\nsagemaker-conformance = \"a string\"\n",
                                     b"[tool]\nsagemaker-conformance = 7\n",
                                     b"\xff\xfe\x00not toml"])
def test_a_pyproject_of_the_wrong_shape_is_a_usage_error(project, content):
    (project / "pyproject.toml").write_bytes(content)
    try:
        code, output = run(["check", "smc-sample/none"], {}, project)
    finally:
        (project / "pyproject.toml").unlink()
    assert code == 2 and "Traceback" not in output, output
    assert "pyproject.toml" in output, output


def teardown_module(module):
    print(f"\noption property test: {RAN['examples']} generated inputs, exits {RAN['exits']}")
