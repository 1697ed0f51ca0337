#!/usr/bin/env python3
"""Run full checks of the good samples (and the stdlib-server image) N times in a row and
print how many passed: a gate that cries wolf once in twenty runs gets switched off.
Each run is the real CLI on a fresh container; any run that is not pass/warn is shown."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--payload", str(ROOT / "fixtures/payloads/iris.csv"), "--content-type", "text/csv",
        "--model", str(ROOT / "fixtures/model/model.tar.gz"), "--stop-timeout", "10", "--quiet"]


def one_run(image: str) -> tuple[str, dict]:
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    subprocess.run([sys.executable, "-m", "conformance", "check", image, *ARGS, "--json", str(report)],
                   cwd=ROOT, capture_output=True, text=True, timeout=900)
    data = json.loads(report.read_text())
    report.unlink()
    return data["verdict"], {c["id"]: c["message"] for c in data["checks"]
                             if c["status"] in ("fail", "error", "warn")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("images", nargs="*", default=["smc-sample/good-serving", "smc-sample/good-minimal",
                                                      "smc-sample/good-stdlib"])
    args = parser.parse_args()
    failed = False
    for image in args.images:
        verdicts: dict = {}
        for _ in range(args.runs):
            verdict, problems = one_run(image)
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
            if verdict not in ("pass", "warn"):
                failed = True
                print(f"  {image}: {verdict}: {problems}")
        warned = sorted({k for k in problems})
        print(f"{image}: {args.runs} runs: {verdicts}" + (f" (warnings: {', '.join(warned)})" if warned else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
