"""--mode batch through real containers: a transform job over fixtures/batch/input, split
and packed as the platform does, with its environment, /execution-parameters, retries,
concurrency and <file>.out assembly. Each batch.* check is failed by its broken sample."""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.modes.batch.settings import BatchSettings
from conformance.modes.batch.split import MB, mini_batches, records
from conformance.checks import get, select
from conformance.errors import UsageError
from conformance.model import Mode, Severity, Status
from conftest import ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
INPUT = ROOT / "fixtures" / "batch" / "input"
BROKEN = sorted(p.name for p in (ROOT / "sample_containers" / "broken").iterdir() if p.name.startswith("batch."))
OVERRIDES = {"batch.timeout": dict(timeout_s=1.0, retries=1),
             "batch.concurrency": dict(max_concurrent=4, strategy="SingleRecord")}   # 65 requests, 4 at a time


def job(image: str, tmp_path: Path, only=("batch",), env=None, **batch):
    settings = BatchSettings(input=INPUT, output=tmp_path / "out", split_type="Line",
                             assemble_with="Line", **batch)
    return check_image(image, mode_settings=settings, only=only, env=env or {},
                       startup_timeout_s=10.0)


def test_every_batch_check_has_a_broken_sample():
    assert {s.id for s in select(Mode.BATCH) if Mode.BATCH in s.modes} == set(BROKEN)


def test_a_good_image_runs_the_job_and_passes_every_check(sample_images, tmp_path):
    report = job(sample_images["good-minimal"], tmp_path, only=())
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in select(Mode.BATCH)}
    files = by_id(report)["batch.output"].details["files"]
    assert {n: (f["records"], f["lines"]) for n, f in files.items()} == {
        "part-0001.csv": (40, 40), "part-0002.csv": (25, 25)}
    out = (tmp_path / "out" / "part-0001.csv.out").read_text().split()
    assert len(out) == 40 and set(out) <= {"setosa", "versicolor", "virginica"}


def test_the_container_sets_what_the_job_leaves_open(sample_images, tmp_path):
    params = '{"MaxConcurrentTransforms": 2, "BatchStrategy": "SINGLE_RECORD", "MaxPayloadInMB": 1}'
    report = job(sample_images["good-minimal"], tmp_path, env={"MS_EXEC_PARAMS": params},
                 max_payload_mb=6)
    used = by_id(report)["batch.execution-parameters"].details
    assert used["used"] == {"MaxConcurrentTransforms": 2, "BatchStrategy": "SingleRecord", "MaxPayloadInMB": 6}
    assert used["origin"] == {"MaxConcurrentTransforms": "container", "BatchStrategy": "container",
                              "MaxPayloadInMB": "job"}
    strategy = by_id(report)["batch.strategy"]
    assert strategy.status is Status.PASS and strategy.measured == 1   # one record per request
    assert by_id(report)["batch.concurrency"].measured == 2


def test_max_payload_0_sends_each_file_whole_and_chunked(sample_images, tmp_path):
    report = job(sample_images["good-minimal"], tmp_path, max_payload_mb=0)
    assert by_id(report)["batch.payload"].status is Status.PASS
    assert "chunked" in by_id(report)["batch.payload"].message
    assert by_id(report)["batch.output"].status is Status.PASS


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_batch_image_fails_its_check(sample_images, tmp_path, check_id):
    report = job(sample_images[f"broken-{check_id}"], tmp_path, only=(check_id,), **OVERRIDES.get(check_id, {}))
    result = by_id(report)[check_id]
    expected = Status.FAIL if get(check_id).severity is Severity.MUST else Status.WARN
    assert result.status is expected, result.message


def test_records_are_split_and_packed_as_the_platform_does(tmp_path):
    recordio = b"".join(struct.pack("<II", 0xCED7230A, len(d)) + d + b"\0" * (-len(d) % 4)
                        for d in (b"abc", b"defgh"))
    assert [len(r) for r in records(recordio, "RecordIO", "x")] == [12, 16]
    tfrecord = b"".join(struct.pack("<Q", len(d)) + b"crc!" + d + b"crc!" for d in (b"one", b"three"))
    assert [r[12:-4] for r in records(tfrecord, "TFRecord", "x")] == [b"one", b"three"]
    (tmp_path / "a.rec").write_bytes(recordio)
    single = mini_batches(tmp_path, "RecordIO", "SingleRecord", 6)
    assert [b.body for b in single] == [b"abc", b"defgh"]   # padding stripped only with SingleRecord
    (tmp_path / "a.rec").unlink()
    (tmp_path / "a.csv").write_bytes(b"x" * 100 + b"\n" + b"y" * 100 + b"\n")
    (tmp_path / "b.csv").write_bytes(b"z\n")
    packed = mini_batches(tmp_path, "Line", "MultiRecord", 1)
    assert [(b.file, b.records) for b in packed] == [("a.csv", 2), ("b.csv", 1)]   # never across files
    (tmp_path / "big.csv").write_bytes(b"w" * (MB + 1) + b"\n")
    with pytest.raises(UsageError, match="over MaxPayloadInMB"):
        mini_batches(tmp_path, "Line", "MultiRecord", 1)


@pytest.mark.parametrize("args, says", [
    (["--input", "/nonexistent-smc"], "is not a folder"),
    ([], "needs --input"),
    (["--input", str(INPUT), "--batch-strategy", "SingleRecord"], "SingleRecord needs a --split-type"),
    (["--input", str(INPUT), "--max-payload-mb", "101"], "must be 0-100"),
    (["--input", str(INPUT), "--max-concurrent", "20", "--max-payload-mb", "6"], "<= 100"),
    (["--input", str(INPUT), "--invocations-timeout", "0"], "must be 1-3600"),
])
def test_batch_usage_errors(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal",
                           "--mode", "batch", *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in done.stdout + done.stderr, done.stdout + done.stderr


def test_an_empty_input_folder_and_batch_options_elsewhere_are_usage_errors(tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal", *args],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    empty = cli("--mode", "batch", "--input", str(tmp_path))
    assert empty.returncode == 2 and "holds no files" in empty.stdout
    elsewhere = cli("--split-type", "Line")
    assert elsewhere.returncode == 2 and "to --mode batch" in elsewhere.stdout


@pytest.mark.parametrize("timeout, delay, status, limit", [(None, "1", "pass", 600.0), ("2", "3", "fail", 2.0)])
def test_a_transform_job_judges_invocations_against_its_own_timeout(sample_images, tmp_path, timeout, delay,
                                                                    status, limit):
    """Batch is judged against InvocationsTimeoutInSeconds (600 s unless set), not the
    real-time 60 s: the limit the check reports is the job's, and a job with a 2 s timeout
    fails a 3 s invocation."""
    import json
    from conftest import MODEL, PAYLOAD
    more = ["--invocations-timeout", timeout, "--invocations-max-retries", "0"] if timeout else []
    subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-minimal"], "--mode", "batch",
                    "--input", str(INPUT), "--output", str(tmp_path / "out"), "--model", str(MODEL),
                    "--payload", str(PAYLOAD), "--content-type", "text/csv", "--env", f"MS_INVOKE_DELAY_S={delay}",
                    "--checks", "inference.invocations", *more, "--json", str(tmp_path / "r.json")],
                   capture_output=True, text=True, timeout=300, cwd=ROOT)
    result = json.loads((tmp_path / "r.json").read_text())["checks"][0]
    assert result["id"] == "inference.invocations" and result["status"] == status, result["message"]
    assert result["limit"] == limit and result["measured"] >= float(delay)


def test_a_500_to_every_multi_record_mini_batch_fails_the_job(sample_images, tmp_path):
    """On the platform such a job fails: here the verdict is fail (exit 1), not a warning."""
    import json
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-minimal"],
                           "--mode", "batch", "--input", str(INPUT), "--split-type", "Line",
                           "--output", str(tmp_path / "out"), "--content-type", "text/csv",
                           "--env", "MS_SINGLE_ROW=1", "--env", "MS_MULTI_ROW_STATUS=500", "--checks", "batch",
                           "--model", str(ROOT / "fixtures" / "model" / "model.tar.gz"),
                           "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    report = json.loads((tmp_path / "r.json").read_text())
    checks = {c["id"]: c for c in report["checks"]}
    assert done.returncode == 1 and report["verdict"] == "fail", done.stdout[-2000:]
    assert checks["batch.strategy"]["status"] == "fail" and "-> 500" in checks["batch.strategy"]["message"]
    assert checks["batch.output"]["status"] == "fail"
