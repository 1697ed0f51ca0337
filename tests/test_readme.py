"""The README's commands, run as written: the two commands for a fresh machine are the
ones CI runs, and the failure it shows is the real output of the command it names in a
terminal of 80 columns (a pseudo-terminal here; only the run's duration differs)."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

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


def in_terminal(argv: list, columns: int = 80, timeout: float = 300) -> tuple[int, str]:
    """Run `argv` with a pseudo-terminal of `columns` as its stdin, stdout and stderr, as a
    person's shell would; its output with colours and cursor moves removed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SMC_") and k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, close_fds=True,
                            env=environ | {"TERM": "xterm"})
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 1.0)[0]:
                try:
                    data = os.read(master, 65536)
                except OSError:   # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    text = b"".join(chunks).decode(errors="replace")
    return code, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", text).replace("\r", "")


def test_what_a_failure_looks_like_is_the_real_output(sample_images):
    shown = block_after("## What a failure looks like")
    command = re.search(r"The output of `check (smc-sample/[\w.-]+)`", README).group(1)
    assert sample_images[command.split("/", 1)[1]]
    code, output = in_terminal([sys.executable, "-m", "conformance", "check", command,
                                "--model", "fixtures/model/model.tar.gz", "--payload", "fixtures/payloads/iris.csv",
                                "--content-type", "text/csv"])
    assert code == 1, output[-2000:]
    lines = output.splitlines()
    real = "\n".join(line.rstrip() for line in lines[next(i for i, l in enumerate(lines) if l.startswith("FAIL")):])

    def same(text: str) -> str:
        return re.sub(r"in \d+\.\d s$", "in N s", text.strip(), flags=re.M)
    assert same(real) == same(shown)
