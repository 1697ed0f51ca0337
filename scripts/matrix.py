#!/usr/bin/env python3
"""The compatibility matrix: every sample image (and any image you name) through the real
CLI, one run each, written as docs/compatibility.md (image x check: pass, warn, fail,
skip, error) and docs/compatibility.json beside it, with the tool version and the digest
of the rule set, so that a release can be diffed against the last one (--compare).

Each image is run with the inputs of its profile: `serve` (the iris model and payload),
`train` (the iris channels and hyperparameters; two hosts for distributed.*). Samples of
the other modes need inputs of their own (models by name, a transform job's files, a
second image) and are listed as not in the matrix, with the test file that covers them."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from conformance import __version__   # noqa: E402
from conformance.reporters.evidence import rules_digest   # noqa: E402

FIX = ROOT / "fixtures"
PROFILES = {
    "serve": ["--model", str(FIX / "model/model.tar.gz"), "--payload", str(FIX / "payloads/iris.csv"),
              "--content-type", "text/csv", "--stop-timeout", "5"],
    "train": ["--mode", "train", "--channel", f"train={FIX / 'data/train'}",
              "--channel", f"validation={FIX / 'data/validation'}", "--hyperparameters",
              str(FIX / "hyperparameters.json"), "--max-runtime", "90s", "--stop-timeout", "5"],
}
# Samples whose rule needs an option to run at all.
EXTRA = {"fuzz.": ["--fuzz", "100"], "streaming.response.": ["--stream"], "streaming.bidi.": ["--bidi"],
         "image.network-isolation": ["--network-isolation"], "distributed.": ["--instance-count", "2"],
         "training.channels.read-only": ["--input-mode", "FastFile"], "training.checkpoints": ["--checkpoints"],
         "training.metrics": ["--metric-definitions", str(FIX / "metric-definitions.json")],
         "lifecycle.sigterm": ["--stop-timeout", "1"]}   # a short job ends within a longer grace
OTHER_MODES = ("mme", "batch", "async", "serverless", "pipeline", "component", "variants")
# Real stacks take their model in the layout of their toolkit (README, "Real stacks").
MODELS = {"real-hf-toolkit": FIX / "hf-model", "real-mlflow-mlserver": FIX / "mlflow-model",
          "real-ray-serve": FIX / "ray-model"}
MARK = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "–", "error": "E"}


def samples() -> dict:
    """name -> (profile or None, tag) for every sample folder."""
    found = {}
    for kind in ("good", "real", "start", "broken", "broken-training"):
        for folder in sorted((ROOT / "sample_containers" / kind).glob("*/Dockerfile")):
            name = folder.parent.name
            tag = f"smc-sample/{kind}-{name}:latest"
            rule = name if kind.startswith("broken") else ""
            if kind == "broken-training" or name in ("training", "toolkit"):
                profile = "train"
            elif rule.split(".")[0] in OTHER_MODES or name in ("mme", "mme-aws", "component", "pipeline-model",
                                                               "pipeline-pre"):
                profile = None
            else:
                profile = "serve"
            found[f"{kind}-{name}"] = (profile, tag)
    return found


def arguments(name: str, profile: str) -> list:
    rule = name.removeprefix("broken-training-").removeprefix("broken-") if name.startswith("broken") else name
    extra = [a for prefix, more in EXTRA.items() if rule.startswith(prefix) for a in more]
    if name == "good-streaming":
        extra += ["--stream", "--bidi"]
    base = list(PROFILES[profile])
    if name in MODELS:
        base[base.index("--model") + 1] = str(MODELS[name])
    return base + extra


def run_one(tag: str, args: list) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "r.json"
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "conformance", "check", tag, *args, "--json", str(report),
                               "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=1200)
        wall = round(time.monotonic() - began, 1)
        if not report.exists():
            return {"verdict": "error", "exit": done.returncode, "wall_s": wall, "checks": {},
                    "error": (done.stderr or done.stdout).strip()[-300:]}
        data = json.loads(report.read_text())
    return {"verdict": data["verdict"], "exit": done.returncode, "wall_s": wall, "mode": data["mode"],
            "checks": {c["id"]: c["status"] for c in data["checks"]}, "error": data.get("error")}


def markdown(matrix: dict) -> str:
    lines = [f"# Compatibility matrix\n\nsagemaker-conformance {matrix['tool_version']}, rule set "
             f"`{matrix['rules_digest']}`, {matrix['generated']}. Written by `python scripts/matrix.py` "
             f"(each image through the CLI once; `--compare OLD.json` diffs two releases). "
             + " ".join(f"{mark} {status}" for status, mark in MARK.items()) + "; blank: not in that run.\n"]
    for profile in PROFILES:
        rows = {n: r for n, r in matrix["images"].items() if r.get("profile") == profile}
        if not rows:
            continue
        checks = list(dict.fromkeys(c for r in rows.values() for c in r["checks"]))
        lines += [f"\n## {profile}\n", "| image | verdict | s | " + " | ".join(f"`{c}`" for c in checks) + " |",
                  "|---|---|---|" + "---|" * len(checks)]
        for name, r in rows.items():
            cells = [MARK.get(r["checks"].get(c, ""), "") for c in checks]
            lines.append(f"| {name} | {r['verdict']} | {r['wall_s']} | " + " | ".join(cells) + " |")
    others = [n for n, r in matrix["images"].items() if r.get("profile") is None]
    if others:
        lines.append("\n## Not in the matrix\n\nTheir mode needs inputs of its own; tests/test_<mode>.py runs "
                     "each of them: " + ", ".join(others) + ".")
    return "\n".join(lines) + "\n"


def compare(old: dict, new: dict) -> list:
    """Every image and check whose status changed between two matrices."""
    changes = []
    for name, now in new["images"].items():
        before = old.get("images", {}).get(name)
        if "verdict" not in now:   # not in the matrix (a mode with inputs of its own)
            continue
        if before is None or "verdict" not in before:
            changes.append(f"{name}: new ({now['verdict']})")
            continue
        if before["verdict"] != now["verdict"]:
            changes.append(f"{name}: verdict {before['verdict']} -> {now['verdict']}")
        for check in sorted(set(before["checks"]) | set(now["checks"])):
            a, b = before["checks"].get(check, "absent"), now["checks"].get(check, "absent")
            if a != b:
                changes.append(f"{name}: {check} {a} -> {b}")
    return changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated sample names (e.g. good-minimal)")
    parser.add_argument("--image", action="append", default=[], help="another image, PROFILE=IMAGE (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder of compatibility.md/.json")
    parser.add_argument("--compare", type=Path, help="an earlier compatibility.json to diff against")
    args = parser.parse_args()
    table = samples()
    if args.only:
        wanted = args.only.split(",")
        unknown = [n for n in wanted if n not in table]
        if unknown:
            parser.error(f"unknown samples: {unknown}")
        table = {n: table[n] for n in wanted}
    for item in args.image:
        profile, _, tag = item.partition("=")
        if profile not in PROFILES or not tag:
            parser.error(f"--image takes PROFILE=IMAGE with PROFILE one of {list(PROFILES)}")
        table[tag] = (profile, tag)
    matrix = {"tool_version": __version__, "rules_digest": rules_digest(),
              "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "images": {}}
    for name, (profile, tag) in table.items():
        if profile is None:
            matrix["images"][name] = {"profile": None}
            continue
        result = run_one(tag, arguments(name, profile) if name in samples() else PROFILES[profile])
        matrix["images"][name] = {"profile": profile, "tag": tag, **result}
        print(f"{name}: {result['verdict']} in {result['wall_s']} s", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "compatibility.json").write_text(json.dumps(matrix, indent=1) + "\n")
    (args.out / "compatibility.md").write_text(markdown(matrix))
    print(f"wrote {args.out / 'compatibility.md'} and compatibility.json")
    if args.compare:
        changes = compare(json.loads(args.compare.read_text()), matrix)
        print("\n".join(changes) if changes else "no change against " + str(args.compare))
    return 0


if __name__ == "__main__":
    sys.exit(main())
