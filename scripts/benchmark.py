#!/usr/bin/env python3
"""Time a full `check` of the good sample, the time to a verdict for an image that exits
at once, and the floor: from `docker run` to the first answered /ping, with no checks;
and a full single-host training check of the good trainer next to its floor, the job's
own run time; the ratio of the full check to the floor; the time to a 2-host
training verdict of the sagemaker-training toolkit sample; and the cost of the fuzz
budget: hypothesis examples per second against the good sample (`--only fuzz` for that alone);
`--only starts`: the time to a verdict for the five broken starts of issue #23 and the verdicts
of three legal slow starts. Prints each as the median of
--runs runs (wall clock, through the real CLI)."""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import docker
import requests

ROOT = Path(__file__).resolve().parents[1]
SERVE_ARGS = ["--payload", str(ROOT / "fixtures/payloads/iris.csv"), "--content-type", "text/csv",
              "--model", str(ROOT / "fixtures/model/model.tar.gz"), "--quiet"]


def time_cli(image: str, *more: str) -> tuple[float, int]:
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "conformance", "check", image] + SERVE_ARGS + list(more),
                          cwd=ROOT, capture_output=True, text=True)
    return time.monotonic() - began, done.returncode


# The starts users get wrong most (issue #23), each to be judged `fail` in <= 30 s with the
# default settle time; and legal slow starts that must still pass (each takes >= 30 s).
BROKEN_STARTS = {
    "/ping answers 500": ("smc-sample/start-ping-500",),
    "/ping answers 404": ("smc-sample/start-ping-404",),
    "/ping slower than 2 s": ("smc-sample/start-ping-slow",),
    "listens on 5000, not 8080": ("smc-sample/start-port-5000",),
    "pipeline container ignores SAGEMAKER_BIND_TO_PORT": (
        "smc-sample/good-pipeline-pre", "--pipeline", "smc-sample/broken-pipeline.bind"),
}
GOOD_STARTS = {"slow start (30 s, nothing listening)": "smc-sample/start-slow-start",
               "metrics exporter first, 8080 after 30 s of loading": "smc-sample/start-metrics-first",
               "/ping 503 for 30 s while the model loads": "smc-sample/start-model-loading"}


def print_starts(client: docker.DockerClient, good: str, runs: int) -> None:
    """Time to verdict for each broken start, the good slow starts' verdicts, and the good
    sample's full check beside its floor, measured in this one run."""
    print(f"{'start (default --settle-time)':58} {'median':>8} {'max':>8}  exit  target")
    for name, (image, *more) in BROKEN_STARTS.items():
        timed = [time_cli(image, *more) for _ in range(runs)]
        times = [t for t, _ in timed]
        codes = sorted({c for _, c in timed})
        print(f"{name:58} {statistics.median(times):7.2f}s {max(times):7.2f}s  {codes}   fail in <= 30 s")
    for name, image in GOOD_STARTS.items():
        took, code = time_cli(image)
        print(f"{name:58} {took:7.2f}s {took:7.2f}s  [{code}]   pass (exit 0)")
    floor = [time_floor(client, good) for _ in range(runs)]
    full = [time_cli(good)[0] for _ in range(runs)]
    print(f"{'floor: docker run -> first 200 from /ping (' + good + ')':58} {statistics.median(floor):7.2f}s")
    print(f"{'full check of ' + good:58} {statistics.median(full):7.2f}s")
    print(f"{'full check / floor (medians, side by side)':58} "
          f"{statistics.median(full) / statistics.median(floor):7.1f}x  target <= 10x")


TRAIN_ARGS = ["--mode", "train", "--channel", f"train={ROOT / 'fixtures/data/train'}",
              "--channel", f"validation={ROOT / 'fixtures/data/validation'}",
              "--hyperparameters", str(ROOT / "fixtures/hyperparameters.json"), "--quiet"]


def time_training(image: str) -> tuple[float, float]:
    """(full training check, the main job's own run time) in seconds."""
    import json
    import tempfile
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "conformance", "check", image, *TRAIN_ARGS,
                           "--json", str(report), "--artifacts-dir", tempfile.mkdtemp()],
                          cwd=ROOT, capture_output=True, text=True)
    took = time.monotonic() - began
    assert done.returncode == 0, done.stdout[-2000:]
    job = json.loads(report.read_text())["environment"]["job_elapsed_s"]
    report.unlink()
    return took, job


def time_two_hosts(image: str) -> float:
    """A 2-host training check of the toolkit sample, CLI to verdict."""
    import tempfile
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "conformance", "check", image, *TRAIN_ARGS,
                           "--instance-count", "2", "--stop-timeout", "10",
                           "--artifacts-dir", tempfile.mkdtemp()],
                          cwd=ROOT, capture_output=True, text=True)
    took = time.monotonic() - began
    assert done.returncode == 0, done.stdout[-2000:]
    return took


def fuzz_rate(image: str, examples: int) -> tuple[float, int, float]:
    """(requests per second, requests sent, seconds) of `--fuzz N` alone on a good image."""
    import json
    import tempfile
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    done = subprocess.run([sys.executable, "-m", "conformance", "check", image, *SERVE_ARGS,
                           "--fuzz", str(examples), "--fuzz-seed", "1", "--checks", "fuzz",
                           "--json", str(report)], cwd=tempfile.mkdtemp(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    details = {c["id"]: c for c in json.loads(report.read_text())["checks"]}["fuzz.alive"]["details"]
    report.unlink()
    return details["examples_sent"] / details["elapsed_s"], details["examples_sent"], details["elapsed_s"]


def print_fuzz(images: list, examples: int, runs: int) -> None:
    for image in images:
        rates = [fuzz_rate(image, examples) for _ in range(runs)]
        median = statistics.median(r for r, _, _ in rates)
        print(f"{'--fuzz ' + str(examples) + ' on ' + image + ': requests/s (each + /ping)':58} "
              f"{median:7.1f}  ({rates[0][1]} requests in {rates[0][2]:.2f} s, first run)")


def time_floor(client: docker.DockerClient, image: str) -> float:
    """`docker run` (create + start) to the first GET /ping that answers 200."""
    from conformance.engine.opt_ml import _unpack
    import tempfile
    model_dir = tempfile.mkdtemp()
    _unpack(ROOT / "fixtures/model/model.tar.gz", Path(model_dir))
    network = client.networks.create(f"smc-bench-{time.time_ns()}", labels={"sagemaker-conformance": "1"})
    container = None
    try:
        began = time.monotonic()
        container = client.containers.run(image, ["serve"], detach=True, network=network.name,
                                          labels={"sagemaker-conformance": "1"},
                                          volumes={model_dir: {"bind": "/opt/ml/model", "mode": "ro"}})
        container.reload()
        address = container.attrs["NetworkSettings"]["Networks"][network.name]["IPAddress"]
        while time.monotonic() - began < 60:
            try:
                if requests.get(f"http://{address}:8080/ping", timeout=2).status_code == 200:
                    return time.monotonic() - began
            except requests.RequestException:
                pass
            time.sleep(0.01)
        raise SystemExit(f"{image} never answered /ping")
    finally:
        if container is not None:
            container.remove(force=True)
        network.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--good", default="smc-sample/good-serving")
    parser.add_argument("--exits", default="smc-sample/broken-inference.startup")
    parser.add_argument("--trainer", default="smc-sample/good-training")
    parser.add_argument("--toolkit", default="smc-sample/good-toolkit")
    parser.add_argument("--fuzz-examples", type=int, default=200)
    parser.add_argument("--only", choices=("fuzz", "starts"), help="time just this part")
    args = parser.parse_args()
    fuzzed = [args.good, "smc-sample/good-stdlib"]
    if args.only == "fuzz":
        return print_fuzz(fuzzed, args.fuzz_examples, args.runs)
    client = docker.from_env()
    if args.only == "starts":
        return print_starts(client, args.good, args.runs)
    floor = [time_floor(client, args.good) for _ in range(args.runs)]
    full = [time_cli(args.good) for _ in range(args.runs)]
    exits = [time_cli(args.exits) for _ in range(args.runs)]
    training = [time_training(args.trainer) for _ in range(args.runs)]
    two_hosts = [time_two_hosts(args.toolkit) for _ in range(args.runs)]
    assert all(code == 0 for _, code in full), "the good sample must pass"
    assert all(code == 1 for _, code in exits), "the exiting sample must fail"
    print(f"{'measure':58} {'median':>8} {'min':>8} {'max':>8}  target")
    rows = [
        (f"floor: docker run -> first 200 from /ping ({args.good})", floor, ""),
        (f"full check of {args.good} (CLI, to verdict)", [t for t, _ in full], "< 15 s"),
        (f"verdict for an image that exits at once ({args.exits})", [t for t, _ in exits], "< 5 s"),
        (f"floor: the training job's own run ({args.trainer})", [j for _, j in training], ""),
        (f"full single-host training check of {args.trainer}", [t for t, _ in training], ""),
        (f"2-host training verdict of {args.toolkit}", two_hosts, "< 60 s"),
    ]
    for name, values, target in rows:
        print(f"{name:58} {statistics.median(values):7.2f}s {min(values):7.2f}s {max(values):7.2f}s  {target}")
    ratio = statistics.median([t for t, _ in full]) / statistics.median(floor)
    print(f"{'full check / floor (medians)':58} {ratio:7.1f}x  target <= 10x")
    print_fuzz(fuzzed, args.fuzz_examples, args.runs)


if __name__ == "__main__":
    main()
