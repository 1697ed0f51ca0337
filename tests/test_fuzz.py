"""--fuzz N through real containers: hypothesis finds defects the four fixed bad requests
miss, shrinks them to a minimal input that is reported whole (JSON, HTML), replays with
its seed, and passes the good samples (tests/test_checks.py runs them with --fuzz 100)."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from markupsafe import escape   # the HTML template escapes as Jinja2 does

import pytest

from conformance.features.fuzz.settings import FuzzSettings
from conformance.model import Status
from conformance.reporters.html import render
from conftest import MODEL, PAYLOAD, ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
CHECKS = ("inference.errors", "fuzz")


def fuzz_report(sample_images, name: str, **fuzz):
    return check_image(sample_images[name], only=CHECKS, fuzz=FuzzSettings(**{"examples": 100, **fuzz}))


def test_fuzzing_finds_a_5xx_the_fixed_bad_requests_miss(sample_images):
    report = fuzz_report(sample_images, "broken-fuzz.status", seed=11)
    results = by_id(report)
    assert results["inference.errors.status"].status is Status.PASS   # the fixed requests miss it
    status = results["fuzz.status"]
    assert status.status is Status.WARN, status.message
    found = status.details["minimal_input"]
    body = base64.b64decode(found["body_base64"])
    # shrunk toward the valid payload: at most a character or two changed in it
    assert found["body_bytes"] == len(body) and len(body) <= len(PAYLOAD.read_bytes()) + 4
    assert any(ch > "\x7f" for ch in body.decode("utf-8")), body   # valid UTF-8, not ASCII
    assert found["body_escaped"] == repr(body)
    assert status.details["response"]["status"] == 500
    assert status.details["replay"] == "--fuzz 100 --fuzz-seed 11"
    assert "500" in status.message and "replay: --fuzz 100 --fuzz-seed 11" in status.message
    html = render(report)
    assert "Fuzzing: minimal failing inputs" in html
    assert f"base64,{found['body_base64']}" in html and "download fuzz.status-input.bin" in html
    assert str(escape(found['body_escaped'])) in html   # the body as text too, escaped
    assert results["fuzz.alive"].status is Status.PASS


def test_the_seed_replays_the_same_examples(sample_images):
    first, second = (fuzz_report(sample_images, "good-stdlib", seed=5, examples=40) for _ in range(2))
    statuses = [by_id(r)["fuzz.alive"].details["statuses"] for r in (first, second)]
    assert statuses[0] == statuses[1] and sum(statuses[0].values()) == 40


def test_a_crash_is_a_must_failure_shrunk_by_restarting_the_container(sample_images):
    report = fuzz_report(sample_images, "broken-fuzz.alive", seed=2, examples=300)
    results = by_id(report)
    assert results["inference.errors"].status is Status.PASS
    alive = results["fuzz.alive"]
    assert alive.status is Status.FAIL and report.verdict == "fail"
    found = alive.details["minimal_input"]
    body = base64.b64decode(found["body_base64"]).decode()
    assert found["kind"] == "crash" and "exited (code 3)" in alive.details["after"]
    assert any("" in [f.strip() for f in line.split(",")] for line in body.splitlines() if line.strip())
    assert alive.details["restarts"] >= 1, "shrinking restarted the container"
    assert "empty CSV field" in alive.details["log_tail"]
    assert alive.logs
    status = results["fuzz.status"]
    assert status.status is Status.SKIP and "went down" in status.message   # not measured, not passed


def test_a_hang_is_a_must_failure_and_is_not_shrunk(sample_images):
    """A request still unanswered at the limit (60 s on the platform; 2 s here, to keep the
    suite short) fails fuzz.alive; each shrink would wait out the limit, so it is not shrunk."""
    report = check_image(sample_images["good-minimal"], only=("fuzz",), env={"MS_HANG_ON": "nan"},
                         fuzz=FuzzSettings(200, seed=3, hang_s=2.0))
    alive = by_id(report)["fuzz.alive"]
    assert alive.status is Status.FAIL, alive.message
    found = alive.details["minimal_input"]
    assert found["kind"] == "hang" and "nan" in base64.b64decode(found["body_base64"]).decode().lower()
    assert "no answer within 2 s" in alive.message and "not shrunk" in alive.details["stopped"]


def test_fuzz_options_reach_the_cli(tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-stdlib", *args],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
    seed_alone = cli("--fuzz-seed", "3")
    assert seed_alone.returncode == 2 and "needs fuzz N" in seed_alone.stdout + seed_alone.stderr
    training = cli("--mode", "train", "--fuzz", "5")
    assert training.returncode == 2 and "apply to --mode serve" in training.stdout + training.stderr
    report = tmp_path / "r.json"
    ok = cli("--fuzz", "20", "--fuzz-seed", "9", "--checks", "fuzz", "--payload", str(PAYLOAD),
             "--content-type", "text/csv", "--model", str(MODEL), "--json", str(report), "--quiet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    checks = {c["id"]: c for c in json.loads(report.read_text())["checks"]}
    assert checks["fuzz.alive"]["details"]["seed"] == 9
    assert checks["fuzz.alive"]["details"]["examples_sent"] == 20


def test_the_pytest_plugin_is_derandomized_unless_a_seed_is_given():
    from conformance.settings import resolve, flag_layer, run_config
    plain = run_config(resolve(flag_layer({"image": ["x"], "fuzz": "10"})), derandomize=True)
    assert plain.fuzz == FuzzSettings(10, None, True) and plain.fuzz.chosen_seed() is None
    seeded = run_config(resolve(flag_layer({"image": ["x"], "fuzz": "10", "fuzz-seed": "4"})), derandomize=True)
    assert seeded.fuzz.chosen_seed() == 4
    cli = run_config(resolve(flag_layer({"image": ["x"], "fuzz": "10"})))
    assert cli.fuzz.chosen_seed() is not None   # a fresh seed, reported for the replay


def test_hypothesis_never_writes_into_the_working_folder(sample_images, tmp_path):
    """hypothesis' own files (its constants cache; no example database: a run is replayed
    by its seed) go where HYPOTHESIS_STORAGE_DIRECTORY says, else into the user's cache
    folder: not into .hypothesis/ of whatever folder the check was started from."""
    work, cache, chosen = tmp_path / "work", tmp_path / "cache", tmp_path / "chosen"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    for extra, expected in (({"XDG_CACHE_HOME": str(cache)}, cache / "sagemaker-conformance" / "hypothesis"),
                            ({"HYPOTHESIS_STORAGE_DIRECTORY": str(chosen)}, chosen)):
        done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["broken-fuzz.status"],
                               "--fuzz", "30", "--fuzz-seed", "11", "--checks", "fuzz", "--payload", str(PAYLOAD),
                               "--content-type", "text/csv", "--model", str(MODEL), "--json", "r.json", "--quiet"],
                              capture_output=True, text=True, timeout=300, cwd=work, env={**env, **extra})
        checks = {c["id"]: c for c in json.loads((work / "r.json").read_text())["checks"]}
        assert checks["fuzz.status"]["status"] == "warn", done.stdout[-1500:]   # it really fuzzed
        assert checks["fuzz.status"]["details"]["hypothesis_storage"] == str(expected)
        assert expected.is_dir() and any(expected.rglob("*")), f"nothing written to {expected}"
        assert not (work / ".hypothesis").exists(), sorted(p.name for p in work.iterdir())
