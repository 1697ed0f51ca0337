#!/usr/bin/env python3
"""The tool's load check against an independent generator (wrk) on the same image,
settings and connection count, printed side by side:
  1. an image whose model takes a known 1.0 s: the tool's p50 must be within 5 % of 1.0 s;
  2. a fast image: the tool's throughput must reach at least half of wrk's.
Each generator gets its own container of the same image, started as the check starts it."""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from conformance.config import RunConfig  # noqa: E402
from conformance.engine import run  # noqa: E402
from conformance.engine.endpoint import serving_endpoint  # noqa: E402
from conformance.events import RunFinished  # noqa: E402
from conformance.features.load.runner import LoadSettings  # noqa: E402

PAYLOAD = ROOT / "fixtures/payloads/iris.csv"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def config(image: str, env: dict, load=None) -> RunConfig:
    return RunConfig(image=image, payload=PAYLOAD, content_type="text/csv", env=env,
                     model=ROOT / "fixtures/model/model.tar.gz", load=load, only=("load",))


def tool(image: str, env: dict, users: int, seconds: float, workers: int) -> dict:
    settings = LoadSettings(users=users, spawn_rate=users, duration_s=seconds, workers=workers)
    with closing(run(config(image, env, settings))) as events:
        report = next(e.report for e in events if isinstance(e, RunFinished))
    return report.section("load").data


def wrk(image: str, env: dict, connections: int, seconds: float) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(f'wrk.method = "POST"\nwrk.body = io.open("{PAYLOAD}"):read("*a")\n'
                      f'wrk.headers["Content-Type"] = "text/csv"\n')
    with serving_endpoint(config(image, env)) as endpoint:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{int(seconds)}s",
                              "--timeout", "10s", "--latency", "-s", str(script),
                              endpoint.base_url + "/invocations"],
                             capture_output=True, text=True, check=True).stdout
    script.unlink()
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"p50_ms": float(p50.group(1)) * UNITS[p50.group(2)], "rps": float(rps.group(1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--slow-image", default="smc-sample/good-minimal")
    parser.add_argument("--fast-image", default="smc-sample/good-serving")
    parser.add_argument("--workers", type=int, default=0, help="locust workers for the fast run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    slow_env = {"MS_INVOKE_DELAY_S": "1.0"}
    slow_tool = tool(args.slow_image, slow_env, 4, args.seconds, 0)
    slow_wrk = wrk(args.slow_image, slow_env, 4, args.seconds)
    fast_tool = tool(args.fast_image, {}, 16, args.seconds, args.workers)
    fast_wrk = wrk(args.fast_image, {}, 16, args.seconds)
    error = abs(slow_tool["p50_ms"] - 1000.0) / 1000.0
    ratio = fast_tool["rps"] / fast_wrk["rps"]
    print(f"{'run':48} {'tool':>12} {'wrk':>12}  requirement")
    print(f"{'1.0 s model, 4 users: p50 (ms)':48} {slow_tool['p50_ms']:12.1f} {slow_wrk['p50_ms']:12.1f}"
          f"  tool within 5 % of 1000 ms: {error:.2%} {'OK' if error <= 0.05 else 'FAILED'}")
    print(f"{'1.0 s model, 4 users: throughput (req/s)':48} {slow_tool['rps']:12.2f} {slow_wrk['rps']:12.2f}")
    print(f"{'fast model, 16 users: p50 (ms)':48} {fast_tool['p50_ms']:12.2f} {fast_wrk['p50_ms']:12.2f}")
    print(f"{'fast model, 16 users: throughput (req/s)':48} {fast_tool['rps']:12.1f} {fast_wrk['rps']:12.1f}"
          f"  tool >= half of wrk: {ratio:.2f} {'OK' if ratio >= 0.5 else 'FAILED'}")
    print(f"generator CPU of the tool's fast run: {fast_tool['generator_cpu_percent']} %")
    if error > 0.05 or ratio < 0.5:
        sys.exit(1)


if __name__ == "__main__":
    main()
