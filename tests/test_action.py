"""action.yml run without GitHub: every step's command with the environment a runner
gives (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, inputs resolved), for a
passing and a failing image, in a fresh virtual environment."""
from __future__ import annotations

import json

import pytest

from action_runner import ACTION, run_action
from conftest import MODEL, PAYLOAD, ROOT


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


def test_action_runs_a_training_check_and_summarises_it(sample_images, runner_env, tmp_path):
    """Training through the Action: channels one per line, every training input a flag has."""
    fixtures = ROOT / "fixtures"
    inputs = {"image": sample_images["good-training"], "mode": "train",
              "channel": f"train={fixtures / 'data/train'}\nvalidation={fixtures / 'data/validation'}",
              "hyperparameters": str(fixtures / "hyperparameters.json"),
              "metric-definitions": str(fixtures / "metric-definitions.json"),
              "max-runtime": "90s", "stop-timeout": "10", "artifacts-dir": str(tmp_path / "model")}
    exit_code, outputs, summary = run_action(inputs, runner_env, tmp_path)
    assert (exit_code, outputs["verdict"]) == (0, "pass"), summary
    assert "**PASS**" in summary and "mode train" in summary and "`training.metrics`" in summary
    assert list((tmp_path / "model").glob("model-*.tar.gz"))
    report = json.loads((tmp_path / outputs["json-report"]).read_text())
    assert report["mode"] == "train" and "training.metrics" in {c["id"] for c in report["checks"]}
