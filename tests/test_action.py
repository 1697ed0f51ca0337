"""action.yml run without GitHub: every step's command with the environment a runner
gives (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_PATH, RUNNER_TEMP,
inputs resolved), for a passing and a failing image, on a runner whose Python is the
system's externally managed one (PEP 668)."""
from __future__ import annotations

import json

import pytest

from action_runner import ACTION, SYSTEM_PYTHON, externally_managed, run_action
from conftest import MODEL, PAYLOAD, ROOT
from conformance.engine.endpoint import serving_endpoint
from conformance.config import RunConfig


def test_action_declares_what_the_runner_needs():
    assert ACTION["runs"]["using"] == "composite"
    assert {"image", "mode", "payload", "content-type", "model", "strict", "load", "report-dir"} <= set(ACTION["inputs"])
    assert {"verdict", "json-report", "html-report"} <= set(ACTION["outputs"])
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), "inputs reach scripts through env, never inline"
    assert [s.get("uses") for s in ACTION["runs"]["steps"]] == [None, None, "actions/upload-artifact@v4"]
    assert "required" not in ACTION["inputs"]["image"], "a run against `target` has no image"


@pytest.mark.parametrize("image, code, verdict", [("good-minimal", 0, "pass"),
                                                  ("broken-inference.headers", 1, "fail")])
def test_action_steps_pass_and_fail(sample_images, runner_env, tmp_path, image, code, verdict):
    inputs = {"image": sample_images[image], "payload": str(PAYLOAD), "content-type": "text/csv",
              "model": str(MODEL), "load": "true", "users": "2", "duration": "3s"}
    done = run_action(inputs, runner_env, tmp_path)
    exit_code, outputs, summary = done.code, done.outputs, done.summary
    assert exit_code == code
    assert outputs["verdict"] == verdict
    assert (tmp_path / outputs["html-report"]).is_file() and (tmp_path / outputs["json-report"]).is_file()
    assert f"**{verdict.upper()}**" in summary and "### Load" in summary
    if verdict == "fail":
        assert "`inference.headers`" in summary and "How to fix" in summary
    errors = [line for line in done.log.splitlines() if line.startswith("::error ")]
    if verdict == "fail":   # one annotation per failed check, on the run's page and the pull request
        assert errors == [e for e in errors if e.startswith("::error title=inference.headers (MUST%2C fail)::")]
        assert len(errors) == 1 and "%0Afix: Do not reject requests" in errors[0]
    else:
        assert errors == []
    # the reports are uploaded also when the check failed (if: always()), as the artifact named
    assert done.uploads == [{"name": "sagemaker-conformance-reports", "path": outputs["report-dir"],
                             "if-no-files-found": "ignore"}]


def test_action_runs_a_training_check_and_summarises_it(sample_images, runner_env, tmp_path):
    """Training through the Action: channels one per line, every training input a flag has."""
    fixtures = ROOT / "fixtures"
    inputs = {"image": sample_images["good-training"], "mode": "train",
              "channel": f"train={fixtures / 'data/train'}\nvalidation={fixtures / 'data/validation'}",
              "hyperparameters": str(fixtures / "hyperparameters.json"),
              "metric-definitions": str(fixtures / "metric-definitions.json"),
              "max-runtime": "90s", "stop-timeout": "10", "artifacts-dir": str(tmp_path / "model")}
    done = run_action(inputs, runner_env, tmp_path)
    exit_code, outputs, summary = done.code, done.outputs, done.summary
    assert (exit_code, outputs["verdict"]) == (0, "pass"), summary
    assert "**PASS**" in summary and "mode train" in summary and "`training.metrics`" in summary
    assert list((tmp_path / "model").glob("model-*.tar.gz"))
    report = json.loads((tmp_path / outputs["json-report"]).read_text())
    assert report["mode"] == "train" and "training.metrics" in {c["id"] for c in report["checks"]}


def test_the_runner_python_refuses_pip_so_the_action_installs_into_its_own_venv(system_runner_env, tmp_path):
    """The premise of the install step, shown on this machine: its system Python is
    externally managed and refuses a plain pip install; the Action's step still installs,
    and says so when that Python cannot unpack a model tarball safely (Debian 12: 3.11.2)."""
    import subprocess
    assert externally_managed(), f"{SYSTEM_PYTHON} is expected to be an externally managed Python here"
    refused = subprocess.run([str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "--no-index", "rich"],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr
    done = run_action({"target": "http://127.0.0.1:9", "startup-timeout": "1", "artifact-name": ""},
                      system_runner_env, tmp_path)
    assert "installed" in done.log and "sagemaker-conformance-venv" in done.log
    assert done.code == 2 and done.uploads == [], "nothing answers at the target: an error, no artifact asked"
    filters = subprocess.run([str(SYSTEM_PYTHON), "-c", "import tarfile; tarfile.data_filter"]).returncode == 0
    assert ("has no extraction filters" in done.log) is not filters


def test_args_reach_the_cli_and_a_target_needs_no_image(sample_images, runner_env, tmp_path):
    """`image` is optional with `target`; `args` is split as a shell would, quotes kept."""
    config = RunConfig(image=sample_images["good-minimal"], payload=PAYLOAD, content_type="text/csv", model=MODEL)
    with serving_endpoint(config) as endpoint:
        done = run_action({"target": endpoint.base_url, "payload": str(PAYLOAD), "content-type": "text/csv",
                           "args": "--checks 'inference.ping' --env \"NOTE=two words\""}, runner_env, tmp_path)
    assert done.code == 0, done.log
    report = json.loads((tmp_path / done.outputs["json-report"]).read_text())
    assert {c["id"] for c in report["checks"]} == {"inference.ping", "inference.ping.latency", "inference.ping.post",
                                                    "inference.ping.truth"}
    bad = run_action({"target": endpoint.base_url, "args": "--checks 'unbalanced"}, runner_env, tmp_path / "bad"
                     if (tmp_path / "bad").mkdir() is None else tmp_path)
    assert bad.code == 2 and "::error title=sagemaker-conformance::the args input cannot be split" in bad.log
