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


@pytest.mark.parametrize("definitions, says", [
    ([{"Name": 5, "Regex": "x=(1)"}], "is not of type 'string'"), ([{"Name": "a", "Regex": 7}], "is not of type"),
    ({"Name": "a"}, "is not of type 'array'"), ([{"Name": "a"}], "'Regex' is a required property"),
    ([{"Name": f"m{i}", "Regex": "x=(1)"} for i in range(41)], "is too long"),   # at most 40 (API-SM)
    ([{"Name": "a", "Regex": "x=(1"}], "does not compile")])
def test_metric_definitions_of_the_wrong_shape_are_usage_errors(tmp_path, definitions, says):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(definitions))
    code, text = run_cli("smc-sample/good-training", "--mode", "train", "--metric-definitions", str(path))
    assert code == 2 and "metric definitions" in text and says in " ".join(text.split()), text


@pytest.mark.parametrize("hyperparameters, says", [([1, 2], "is not of type 'object'"),
                                                   ({f"k{i}": 1 for i in range(101)}, "too many properties"),
                                                   ({"k" * 257: 1}, "is too long")])
def test_hyperparameters_of_the_wrong_shape_are_usage_errors(tmp_path, hyperparameters, says):
    path = tmp_path / "hps.json"
    path.write_text(json.dumps(hyperparameters))
    code, text = run_cli("smc-sample/good-training", "--mode", "train", "--hyperparameters", str(path))
    assert code == 2 and "hyperparameters" in text and says in " ".join(text.split()), text


@pytest.mark.parametrize("flag, value", [("--spawn-rate", "0"), ("--startup-timeout", "nan"),
                                         ("--cpus", "inf"), ("--settle-time", "nan")])
def test_numbers_that_would_never_end_a_wait_are_usage_errors(flag, value):
    from conftest import PAYLOAD
    code, text = run_cli("smc-sample/good-minimal", "--payload", str(PAYLOAD), "--load", flag, value)
    assert code == 2, text


@pytest.mark.parametrize("args, says", [
    (["--content-type", "text/csv\r\nX-Evil: 1"], "control characters"),
    (["--accept", "application/jsön☃"], "Latin-1"),
    (["--target", "http://127.0.0.1:70000"], "port 1-65535"),
    (["--target", "http://[::1"], "expects http://HOST:PORT"),
])
def test_header_values_and_targets_are_checked_before_anything_runs(args, says):
    code, text = run_cli(*(["smc-sample/good-minimal"] if args[0] != "--target" else []), *args)
    assert code == 2 and says in text, text


def test_an_image_name_with_control_characters_is_a_usage_error():
    code, text = run_cli("smc-sample/good\x1b[31m-minimal")
    assert code == 2 and "control characters" in text


def test_an_unwritable_locustfile_and_an_unreadable_payload_are_usage_errors(tmp_path):
    from conftest import PAYLOAD
    blocker = tmp_path / "a-file"   # a file where a folder should be: unwritable even for root
    blocker.write_text("")
    code, text = run_cli("smc-sample/good-minimal", "--payload", str(PAYLOAD),
                         "--export-locustfile", str(blocker / "locustfile.py"))
    assert code == 2 and "cannot write the locustfile" in text
    secret = tmp_path / "secret.csv"
    secret.write_text("1,2,3,4\n")
    secret.chmod(0)
    if os.access(secret, os.R_OK):   # root reads anything: an unreadable file cannot be made here
        secret = tmp_path   # a folder is no payload either
    code, text = run_cli("smc-sample/good-minimal", "--payload", str(secret))
    assert code == 2 and "payload" in text
