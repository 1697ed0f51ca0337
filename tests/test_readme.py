"""The README's commands, run as written: the two commands for a fresh machine are the
ones CI runs, and the failure it shows is the real output of the command it names, at
80 columns (only the run's duration differs from run to run)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return section.split("```", 2)[1].split("\n", 1)[1]


def test_the_two_fresh_machine_commands_are_what_ci_runs():
    commands = [line.split("#")[0].strip() for line in block_after("## Two commands on a fresh Debian machine")
                .splitlines() if line.strip()]
    assert commands == ["bash scripts/setup.sh", "bash scripts/test.sh"]
    assert "exec bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_what_a_failure_looks_like_is_the_real_output(sample_images):
    shown = block_after("## What a failure looks like")
    command = re.search(r"The output of `check (smc-sample/[\w.-]+)`", README).group(1)
    assert sample_images[command.split("/", 1)[1]]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SMC_")} | {"COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-m", "conformance", "check", command,
                           "--model", "fixtures/model/model.tar.gz", "--payload", "fixtures/payloads/iris.csv",
                           "--content-type", "text/csv"], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env=environ)
    assert done.returncode == 1, done.stdout[-2000:]
    lines = done.stdout.splitlines()
    real = "\n".join(line.rstrip() for line in lines[next(i for i, l in enumerate(lines) if l.startswith("FAIL")):])

    def same(text: str) -> str:
        return re.sub(r"in \d+\.\d s$", "in N s", text.strip(), flags=re.M)
    assert same(real) == same(shown)
