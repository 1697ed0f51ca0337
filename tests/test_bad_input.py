"""Bad option files and values are usage errors (exit 2) with the input named, never a
hang or a traceback (issue #24, first part). In-process and fast: no Docker."""
from __future__ import annotations

import contextlib
import io
import json
import os

import pytest

from conformance.cli import main


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", *args])
    return code, out.getvalue()


def test_a_fifo_as_a_json_option_file_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "hps.json"
    os.mkfifo(fifo)
    code, text = run_cli("smc-sample/good-training", "--mode", "train", "--hyperparameters", str(fifo))
    assert code == 2 and "not a regular file" in text


@pytest.mark.parametrize("definitions", [[{"Name": 5, "Regex": "x=(1)"}], [{"Name": "a", "Regex": 7}], {"Name": "a"}])
def test_metric_definitions_of_the_wrong_types_are_usage_errors(tmp_path, definitions):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(definitions))
    code, text = run_cli("smc-sample/good-training", "--mode", "train", "--metric-definitions", str(path))
    assert code == 2 and "metric definitions" in text


@pytest.mark.parametrize("flag, value", [("--spawn-rate", "0"), ("--startup-timeout", "nan"),
                                         ("--cpus", "inf"), ("--settle-time", "nan")])
def test_numbers_that_would_never_end_a_wait_are_usage_errors(flag, value):
    from conftest import PAYLOAD
    code, text = run_cli("smc-sample/good-minimal", "--payload", str(PAYLOAD), "--load", flag, value)
    assert code == 2, text
