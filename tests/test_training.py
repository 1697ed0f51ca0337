"""Training mode on real containers: the good trainer passes (one host and two), each
broken trainer fails the check named after its defect, and a trained model is served."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import requests

from conformance.checks import get, select
from conformance.config import RunConfig
from conformance.modes.train.settings import TrainingSettings
from conformance.engine.endpoint import serving_endpoint
from conformance.modes.train.tree import platform_hyperparameters
from conformance.model import Mode, Severity, Status
from conformance.reporters import json_report
from conftest import PAYLOAD, ROOT
from helpers import by_id, check_image

DATA = ROOT / "fixtures" / "data"
HYPERPARAMETERS = json.loads((ROOT / "fixtures" / "hyperparameters.json").read_text())
METRICS = tuple((m["Name"], m["Regex"]) for m in json.loads((ROOT / "fixtures" / "metric-definitions.json").read_text()))
BROKEN = sorted(p.name for p in (ROOT / "sample_containers" / "broken-training").iterdir())
# image.* rules are the same as for serving and proven by the serving samples.
TRAIN_ONLY = {s.id for s in select(Mode.TRAIN, options=("metric_definitions", "checkpoints", "fastfile"))
              if not s.id.startswith("image.")}


def train(image: str, tmp_path: Path, instance_count: int = 1, require_encrypted: bool = False,
          checkpoints: bool = False, metrics: tuple = METRICS, input_mode: str = "File",
          entrypoint: tuple = (), arguments: tuple = (), **overrides):
    settings = TrainingSettings(channels={"train": DATA / "train", "validation": DATA / "validation"},
                                hyperparameters=HYPERPARAMETERS, instance_count=instance_count,
                                max_runtime_s=90, metric_definitions=metrics, input_mode=input_mode,
                                require_encrypted_traffic=require_encrypted, checkpoints=checkpoints,
                                container_entrypoint=entrypoint, container_arguments=arguments)
    return check_image(image, mode_settings=settings, payload=None, model=None,
                       artifacts_dir=tmp_path, **overrides)


def test_trainer_on_the_real_sagemaker_training_toolkit_passes(sample_images, tmp_path):
    """The platform emulation is only right if the platform's own toolkit is happy in it."""
    report = train(sample_images["good-toolkit"], tmp_path, checkpoints=True)
    not_passed = {r.id: r.message for r in report.results if r.status is not Status.PASS
                  and not r.id.startswith("distributed.") and r.id != "lifecycle.sigterm"}
    assert not not_passed
    assert report.verdict == "pass"
    # PID 1 of the toolkit (`train`) has no SIGTERM handler: the job merely finished, so
    # the stop drill has no evidence either way, and says so instead of passing.
    sigterm = by_id(report)["lifecycle.sigterm"]
    assert sigterm.status is Status.SKIP and "does not handle SIGTERM" in sigterm.message
    assert "lifecycle.sigterm" in {r.id for r in report.not_judged}
    reason = by_id(report)["training.failure"].message
    assert "ExecuteUserScriptError" in reason, "the toolkit itself wrote the failure file"


def test_every_training_check_has_a_broken_trainer():
    assert TRAIN_ONLY == set(BROKEN)


def test_platform_writes_every_hyperparameter_as_a_string():
    assert platform_hyperparameters({"epochs": 10, "lr": 0.1, "flag": False, "name": "x"}) == \
        {"epochs": "10", "lr": "0.1", "flag": "false", "name": "x"}


@pytest.mark.parametrize("instance_count", [1, 2])
def test_good_trainer_passes(sample_images, tmp_path, instance_count):
    report = train(sample_images["good-training"], tmp_path, instance_count, stop_timeout_s=10.0,
                   checkpoints=instance_count == 1)
    single_host_skips = {"distributed.hosts", "distributed.hosts.names", "distributed.traffic.encrypted"} \
        if instance_count == 1 else set()
    not_passed = {r.id: r.message for r in report.results
                  if r.status is not Status.PASS and r.id not in single_host_skips}
    assert not not_passed
    assert report.verdict == "pass"
    assert report.environment["hosts"] == [f"algo-{i}" for i in range(1, instance_count + 1)]
    assert Path(report.environment["model_artifact"]).is_file()
    jsonschema.validate(json_report.to_dict(report), json_report.schema())
    metrics = by_id(report)["training.metrics"].details["metrics"]
    assert metrics["train:epoch"]["last"] == "9" and float(metrics["validation:accuracy"]["last"]) > 0.8
    if instance_count == 2:
        flows = by_id(report)["distributed.traffic.encrypted"].details["flows"]
        assert flows and all(f["kind"] == "tls" for f in flows)


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_trainer_fails_its_check(sample_images, tmp_path, check_id):
    count = 2 if check_id.startswith("distributed.") else 1
    report = train(sample_images[f"broken-training-{check_id}"], tmp_path, count, stop_timeout_s=1.0,
                   checkpoints=check_id == "training.checkpoints",
                   input_mode="FastFile" if check_id == "training.channels.read-only" else "File")
    result = by_id(report)[check_id]
    expected = Status.FAIL if get(check_id).severity_for(Mode.TRAIN) is Severity.MUST else Status.WARN
    assert result.status is expected, result.message
    assert result.logs, "failures carry the job's log lines"


def test_plaintext_between_hosts_fails_when_encryption_is_required(sample_images, tmp_path):
    report = train(sample_images["broken-training-distributed.traffic.encrypted"], tmp_path, 2,
                   require_encrypted=True, only=("distributed",))
    result = by_id(report)["distributed.traffic.encrypted"]
    assert result.severity is Severity.MUST and result.status is Status.FAIL
    assert "train" in result.message or "{" in result.message, "a sample of the plaintext"
    assert report.verdict == "fail"


def test_missing_model_says_where_the_files_went(sample_images, tmp_path):
    report = train(sample_images["broken-training-training.model"], tmp_path)
    assert "/tmp/model/model.json" in by_id(report)["training.model"].message


def test_train_then_serve_what_was_trained(sample_images, tmp_path):
    report = train(sample_images["good-training"], tmp_path, only=("training.model",))
    archive = Path(report.environment["model_artifact"])
    config = RunConfig(image=sample_images["good-serving"], payload=PAYLOAD, content_type="text/csv",
                       model=archive)
    with serving_endpoint(config) as endpoint:
        answer = requests.post(endpoint.base_url + "/invocations", data=PAYLOAD.read_bytes(),
                               headers={"Content-Type": "text/csv"}, timeout=10)
    assert answer.status_code == 200
    assert answer.text.split() == ["setosa", "versicolor", "virginica"]
    served = check_image(sample_images["good-serving"], model=archive, only=("inference",))
    assert served.verdict == "pass"


def test_sharded_channel_splits_files_and_every_host_gets_its_own_config(docker_client, sample_images, tmp_path):
    from conformance.engine.session import RunSession
    from conformance.modes.train.job import run_job
    channel = tmp_path / "train"
    channel.mkdir()
    rows = (DATA / "train" / "iris.csv").read_text().splitlines(keepends=True)
    (channel / "a.csv").write_text("".join(rows[:60]))
    (channel / "b.csv").write_text("".join(rows[60:]))
    settings = TrainingSettings(channels={"train": channel}, instance_count=2, distribution="ShardedByS3Key",
                                hyperparameters={"epochs": 1, "epoch_seconds": 0.1})
    config = RunConfig(image=sample_images["good-training"], mode_settings=settings).validate()
    with RunSession(docker_client) as session:
        job = run_job(docker_client, session, config, "sharded", {"epochs": "1", "epoch_seconds": "0.1"},
                      settings.channels)
        assert job.succeeded
        files = {h.host: sorted(p.name for p in (h.root / "input/data/train").iterdir()) for h in job.hosts}
        assert files == {"algo-1": ["a.csv"], "algo-2": ["b.csv"]}
        for host in job.hosts:
            resources = json.loads(host.read("input/config/resourceconfig.json"))
            assert resources["current_host"] == host.host and resources["hosts"] == ["algo-1", "algo-2"]
            data_config = json.loads(host.read("input/config/inputdataconfig.json"))
            assert data_config["train"]["S3DistributionType"] == "ShardedByS3Key"
            assert json.loads(host.read("input/config/hyperparameters.json")) == {"epochs": "1", "epoch_seconds": "0.1"}


def test_training_through_the_pytest_plugin(pytester, sample_images):
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--sagemaker-image", sample_images["broken-training-training.exit"],
        "--sagemaker-mode", "train", "--sagemaker-channel", f"train={DATA / 'train'}",
        "--sagemaker-hyperparameters", str(ROOT / "fixtures" / "hyperparameters.json"),
        "-k", "training.exit or training.model")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*training.exit [[]MUST[]] fail*failure drill*"])


def test_pipe_mode_feeds_fifos_and_a_file_mode_reader_fails(sample_images, tmp_path):
    settings = TrainingSettings(channels={"train": DATA / "train", "validation": DATA / "validation"},
                                hyperparameters=HYPERPARAMETERS, input_mode="Pipe", max_runtime_s=60)
    good = check_image(sample_images["good-training"], mode_settings=settings, payload=None,
                       model=None, artifacts_dir=tmp_path, only=("training.exit", "training.channels"))
    assert good.verdict == "pass", {r.id: r.message for r in good.results}
    # The same image told to read its File-mode folder: Pipe mode has none (local mode's classic trap).
    wrong = check_image(sample_images["good-training"], mode_settings=settings, payload=None,
                        model=None, artifacts_dir=tmp_path, env={"TR_IGNORE_PIPE": "1"},
                        only=("training.exit",))
    result = by_id(wrong)["training.exit"]
    assert result.status is Status.FAIL and "no training rows" in result.logs


def test_an_image_without_train_is_judged_without_a_traceback(sample_images, tmp_path):
    report = train(sample_images["broken-image.entrypoint.handles-arg"], tmp_path,
                   only=("image.entrypoint.handles-arg", "training.exit"))
    results = by_id(report)
    assert results["image.entrypoint.handles-arg"].status is Status.FAIL
    assert "`train`" in results["image.entrypoint.handles-arg"].message
    assert results["training.exit"].status is Status.FAIL
    assert "executable file not found" in results["training.exit"].message


def test_a_drill_that_does_not_fail_is_not_called_a_violation(sample_images, tmp_path):
    image = sample_images["broken-training-training.channels"]   # trains on baked data: empty channels do not fail it
    report = train(image, tmp_path, only=("training.exit",))
    result = by_id(report)["training.exit"]
    assert result.status is Status.SKIP and "--failure-hyperparameters" in result.message
    settings = TrainingSettings(channels={"train": DATA / "train"}, hyperparameters=HYPERPARAMETERS,
                                failure_hyperparameters={"epochs": "not-a-number"}, max_runtime_s=60)
    provoked = check_image(image, mode_settings=settings, payload=None, model=None,
                           artifacts_dir=tmp_path, only=("training.exit", "training.failure"))
    assert by_id(provoked)["training.exit"].status is Status.PASS
    assert "not-a-number" in by_id(provoked)["training.failure"].message


def train_cli(image: str, tmp_path: Path, *more: str) -> tuple[subprocess.CompletedProcess, dict]:
    """`check IMAGE --mode train` through the CLI, with the fixtures' channels and
    hyperparameters; the JSON report's checks by id."""
    report = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "conformance", "check", image, "--mode", "train",
                           "--channel", f"train={DATA / 'train'}", "--channel", f"validation={DATA / 'validation'}",
                           "--hyperparameters", str(ROOT / "fixtures" / "hyperparameters.json"),
                           "--max-runtime", "90", "--artifacts-dir", str(tmp_path / "out"), "--json", str(report),
                           *more], capture_output=True, text=True, timeout=600, cwd=ROOT)
    return done, json.loads(report.read_text())


def test_a_metric_whose_capture_is_not_a_number_is_no_metric(sample_images, tmp_path):
    """An empty capture and a word are found by their regexes but are no values."""
    definitions = tmp_path / "metrics.json"
    definitions.write_text(json.dumps([{"Name": "train:epoch", "Regex": "epoch=([0-9]+)"},
                                       {"Name": "bad:empty", "Regex": "validation_accuracy=([a-z]*)"},
                                       {"Name": "bad:word", "Regex": "(rows)="}]))
    done, report = train_cli(sample_images["good-training"], tmp_path, "--metric-definitions", str(definitions),
                             "--checks", "training.metrics")
    result = {c["id"]: c for c in report["checks"]}["training.metrics"]
    assert done.returncode == 0 and result["status"] == "warn", result["message"]
    assert "bad:empty captured ''" in result["message"] and "bad:word captured 'rows'" in result["message"]
    assert (result["measured"], result["limit"]) == (1, 3)


@pytest.mark.parametrize("every_host", [False, True])
def test_two_hosts_share_one_checkpoint_prefix(sample_images, tmp_path, every_host):
    """The platform restores one checkpoint prefix to every host: the good trainer writes
    its checkpoint from algo-1 only and both hosts resume from it; one that writes the same
    file from both hosts with different content is caught overwriting itself."""
    more = ["--env", "TR_CHECKPOINT_EVERY_HOST=1"] if every_host else []
    done, report = train_cli(sample_images["good-training"], tmp_path, "--instance-count", "2", "--checkpoints",
                             "--checks", "training.checkpoints", *more)
    result = {c["id"]: c for c in report["checks"]}["training.checkpoints"]
    assert done.returncode == 0, done.stdout[-2000:]
    if every_host:
        assert result["status"] == "warn", result["message"]
        assert "state.json written by algo-1 and algo-2 with different content" in result["message"]
        assert result["measured"] >= 1
    else:
        assert result["status"] == "pass", result["message"]
        assert result["details"]["read_back"] == result["details"]["written"] == 1 and not result["details"]["clashes"]


@pytest.mark.parametrize("objective, regex, status", [("validation:accuracy", None, "pass"),
                                                      ("train:loss", "loss=([0-9.]+)", "fail")])
def test_a_tuning_objective_is_passed_and_must_be_emitted(sample_images, tmp_path, objective, regex, status):
    definitions = tmp_path / "metrics.json"
    rows = [{"Name": name, "Regex": pattern} for name, pattern in METRICS + (((objective, regex),) if regex else ())]
    definitions.write_text(json.dumps(rows))
    done, report = train_cli(sample_images["good-training"], tmp_path, "--metric-definitions", str(definitions),
                             "--objective-metric", objective, "--checks", "training.metrics")
    assert report["environment"]["hyperparameters"]["_tuning_objective_metric"] == objective
    result = {c["id"]: c for c in report["checks"]}["training.metrics"]
    assert result["status"] == status and result["severity"] == "MUST", result["message"]
    assert done.returncode == (0 if status == "pass" else 1)
    if status == "fail":
        assert "train:loss (the tuning objective, _tuning_objective_metric)" in result["message"]


def test_an_objective_outside_the_metric_definitions_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-training", "--mode", "train",
                           "--metric-definitions", str(ROOT / "fixtures" / "metric-definitions.json"),
                           "--objective-metric", "nope"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "not among the metric definitions" in done.stdout, done.stdout


@pytest.mark.parametrize("plant", ["victim", "dangling"])
def test_pipe_mode_never_writes_through_a_link_the_container_plants(sample_images, tmp_path, plant):
    """The trainer plants a link named like the next FIFO, to a file of the host (or to
    nothing): the feeder replaces it with a FIFO, the file keeps its bytes, no traceback."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    target = str(victim) if plant == "victim" else str(tmp_path / "missing" / "nothing")
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-training"],
                           "--mode", "train", "--input-mode", "Pipe", "--channel", f"train={DATA / 'train'}",
                           "--channel", f"validation={DATA / 'validation'}", "--max-runtime", "60",
                           "--env", f"TR_PLANT_LINKS={target}", "--checks", "training.exit",
                           "--artifacts-dir", str(tmp_path / "out"), "--json", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    exit_check = json.loads((tmp_path / "r.json").read_text())["checks"][0]
    assert done.returncode == 0 and exit_check["status"] == "pass", done.stdout[-2000:]
    assert victim.read_text() == "keep me\n" and not (tmp_path / "missing").exists()
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


def test_fastfile_mounts_every_channel_read_only(sample_images, tmp_path):
    """A File-mode trainer runs unchanged on FastFile's read-only mounts; the one that caches
    into its channel passes in File mode and fails on FastFile, with the write's error."""
    good = by_id(train(sample_images["good-training"], tmp_path / "good", input_mode="FastFile",
                       only=("training.exit", "training.channels", "training.config")))   # .read-only is a child
    assert good["training.channels.read-only"].status is Status.PASS, good["training.channels.read-only"].message
    assert good["training.exit"].status is Status.PASS
    channels = good["training.channels"]   # a read-only mount records no atime: said, never passed
    assert channels.status is Status.SKIP and "not measured in FastFile" in channels.message, channels.message
    image = sample_images["broken-training-training.channels.read-only"]
    in_file_mode = by_id(train(image, tmp_path / "file", only=("training.exit", "training.channels")))
    assert in_file_mode["training.exit"].status is Status.PASS, "writing into a File-mode channel works"
    assert "training.channels.read-only" not in in_file_mode, "the rule is FastFile's"
    broken = by_id(train(image, tmp_path / "fastfile", input_mode="FastFile",
                         only=("training.exit", "training.channels.read-only")))
    result = broken["training.channels.read-only"]
    assert result.status is Status.FAIL and "Read-only file system" in result.message, result.message
    print(f"FastFile: {result.message}")


ECHO_ARGUMENTS = ("sh", "-c", 'test "$*" = "--epochs 3" || { echo "arguments: $*" >&2; exit 3; }; '
                              'exec python3 /opt/program/trainer.py', "sh")


def test_container_entrypoint_runs_instead_of_train_with_only_its_arguments(sample_images, tmp_path):
    """AlgorithmSpecification.ContainerEntrypoint and ContainerArguments: the entry point
    is started with exactly the arguments (no `train` appended: this one exits 3 otherwise)."""
    report = by_id(train(sample_images["good-training"], tmp_path / "given", entrypoint=ECHO_ARGUMENTS,
                         arguments=("--epochs", "3"), only=("training.exit", "image.entrypoint")))
    assert report["training.exit"].status is Status.PASS, report["training.exit"].message
    handles = report["image.entrypoint.handles-arg"]
    assert handles.status is Status.PASS and "no `train` appended" in handles.message, handles.message
    missing = by_id(train(sample_images["good-training"], tmp_path / "missing",
                          entrypoint=("/opt/program/not-there.sh",), only=("training.exit", "image.entrypoint")))
    assert missing["image.entrypoint.handles-arg"].status is Status.FAIL
    assert "/opt/program/not-there.sh" in missing["image.entrypoint.handles-arg"].message
    assert missing["training.exit"].status is Status.FAIL


def test_hosts_drill_names_the_hostnames_and_fails_a_trainer_that_never_retries_dns(sample_images, tmp_path):
    """The drill's other half: names that resolve late. The good trainer retries and passes
    (above); the same image resolving its leader once fails the drill, not the main job."""
    report = train(sample_images["good-training"], tmp_path, 2, env={"TR_RESOLVE_ATTEMPTS": "1"},
                   only=("distributed.hosts",))
    assert by_id(report)["distributed.hosts"].status is Status.PASS
    drill = by_id(report)["distributed.hosts.names"]
    assert drill.status is Status.WARN and drill.details["dns_lag_s"] == 5.0
    assert "cannot resolve peer algo-1" in drill.message
    assert "algo-1 as ip-" in drill.message and "algo-2 as ip-" in drill.message
