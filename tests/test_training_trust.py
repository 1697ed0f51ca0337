"""Training verdicts a CI gate can trust (issue 8): hosts that stay resolvable, a failed
host ending the job, stop drills that pass only on evidence, drills that keep the
user's code, the string-hyperparameter cause named, and no link followed out of a job."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conformance.modes.train.settings import TrainingSettings
from conformance.modes.train.tree import typed_hyperparameters
from conformance.model import Status
from conftest import ROOT
from helpers import by_id, check_image

DATA = ROOT / "fixtures" / "data"


def train(image: str, tmp_path: Path, count: int = 1, hyperparameters=None, channels=None,
          **overrides):
    settings = TrainingSettings(channels=channels or {"train": DATA / "train"},
                                hyperparameters=hyperparameters or {"epochs": "4", "epoch_seconds": "0.5"},
                                instance_count=count, max_runtime_s=120)
    return check_image(image, mode_settings=settings, payload=None, model=None,
                       artifacts_dir=tmp_path, **overrides)


@pytest.mark.serial   # a job's wall time
def test_two_host_toolkit_job_ends_well_under_a_minute(sample_images, tmp_path):
    began = time.monotonic()
    report = train(sample_images["good-toolkit"], tmp_path, count=2,
                   only=("training.exit", "distributed.hosts"), stop_timeout_s=10.0)
    elapsed = time.monotonic() - began
    results = by_id(report)
    assert results["distributed.hosts"].status is Status.PASS, results["distributed.hosts"].message
    assert results["training.exit"].status is Status.PASS, results["training.exit"].message
    assert elapsed < 60, f"a 2-host toolkit verdict took {elapsed:.1f} s"


def test_one_failed_host_stops_the_others(sample_images, tmp_path):
    began = time.monotonic()
    report = train(sample_images["good-training"], tmp_path, count=2, only=("distributed.hosts",),
                   hyperparameters={"epochs": "200", "epoch_seconds": "0.5"},
                   env={"TR_FAIL_ON_HOST": "algo-1"}, stop_timeout_s=5.0)
    result = by_id(report)["distributed.hosts"]
    assert result.status is Status.FAIL and "algo-1" in result.message
    assert time.monotonic() - began < 40, "the job ended when algo-1 failed, not at --max-runtime"


@pytest.mark.serial   # SIGKILL at the grace, to the second
def test_a_trainer_that_ignores_sigterm_is_killed_at_the_grace(sample_images, tmp_path):
    report = train(sample_images["broken-training-lifecycle.sigterm"], tmp_path,
                   hyperparameters={"epochs": "12", "epoch_seconds": "0.5"},
                   only=("lifecycle.sigterm",), stop_timeout_s=2.0)
    result = by_id(report)["lifecycle.sigterm"]
    assert result.status is Status.FAIL
    assert "killed (SIGKILL) 2.00 s after SIGTERM" in result.message
    assert "exited with code 137" not in result.message


def test_the_failure_drill_keeps_the_code_channel(sample_images, tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    (code / "train.py").write_text("print('user code')\n")
    report = train(sample_images["good-training"], tmp_path,
                   channels={"train": DATA / "train", "code": code},
                   env={"TR_CODE_CHANNEL": "1"}, only=("training.exit", "training.failure"))
    failure = by_id(report)["training.failure"]
    assert by_id(report)["training.exit"].status is Status.PASS
    assert "missing script" not in failure.message and "rows" in failure.message.lower()


def test_string_hyperparameters_are_named_as_the_cause(sample_images, tmp_path):
    report = train(sample_images["broken-training-training.hyperparameters"], tmp_path,
                   hyperparameters={"epochs": "2", "epoch_seconds": "0.1"},
                   only=("training.hyperparameters",))
    result = by_id(report)["training.hyperparameters"]
    assert result.status is Status.FAIL, result.message
    assert "epochs" in result.message


def test_typed_values_are_derived_from_the_strings():
    assert typed_hyperparameters({"epochs": "2", "lr": "0.1", "flag": "true", "name": "adam",
                                  "null": "null", "layers": "[1, 2]"}) == \
        {"epochs": 2, "lr": 0.1, "flag": True, "name": "adam", "null": None, "layers": [1, 2]}


def test_a_failure_file_linking_out_of_the_job_is_not_read(sample_images, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET host file")
    report = train(sample_images["good-training"], tmp_path,
                   hyperparameters={"epochs": "not-a-number"},
                   env={"TR_FAILURE_LINK": str(secret)}, only=("training.failure",))
    result = by_id(report)["training.failure"]
    assert "TOP-SECRET" not in json.dumps([r.message + r.logs for r in report.results])
    assert result.status is Status.WARN   # no readable failure file inside the job


@pytest.mark.serial   # runs four workers of its own
def test_four_training_checks_in_parallel_with_xdist(pytester, sample_images, docker_client):
    """One network per run: four 2-host checks at once neither collide nor exhaust Docker's
    address pools, and leave nothing behind."""
    pytester.makepyfile(f'''
        import pytest
        from contextlib import closing
        from conformance.config import RunConfig
        from conformance.modes.train.settings import TrainingSettings
        from conformance.engine import run
        from conformance.events import RunFinished

        @pytest.mark.parametrize("n", range(4))
        def test_train(n):
            settings = TrainingSettings(channels={{"train": {str(DATA / "train")!r}}}, instance_count=2,
                                        hyperparameters={{"epochs": "2", "epoch_seconds": "0.2"}},
                                        max_runtime_s=120)
            config = RunConfig(image={sample_images["good-training"]!r}, mode_settings=settings,
                               only=("training.exit", "distributed.hosts"), artifacts_dir={str(pytester.path)!r})
            with closing(run(config)) as events:
                report = next(e.report for e in events if isinstance(e, RunFinished))
            assert report.verdict == "pass", [(r.id, r.message) for r in report.results]
    ''')
    result = pytester.runpytest_subprocess("-n", "4", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    from conformance.engine.session import LABEL, owner_is_dead
    leftovers = [o.name for o in docker_client.containers.list(all=True, filters={"label": LABEL}) +
                 docker_client.networks.list(filters={"label": LABEL})
                 if owner_is_dead(o.attrs.get("Labels") or o.attrs.get("Config", {}).get("Labels") or {})]
    assert not leftovers
