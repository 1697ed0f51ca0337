"""`sagemaker-conformance load-worker --master HOST[:PORT]`: a locust worker on another
machine for a run started with --load-master. It runs the tool's own locustfile; the
master sends it the request body and headers, and locust's spawn message the target."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from ...errors import UsageError

DEFAULT_MASTER_PORT = 5557   # locust's own default


def locustfile_path() -> str:
    """Not imported here: `import locust` patches this process's sockets (gevent)."""
    return str(Path(__file__).with_name("locustfile.py"))


def split_master(master: str) -> tuple[str, int]:
    host, _, port = master.partition(":")
    if not host or (port and not port.isdigit()):
        raise UsageError(f"--master expects HOST or HOST:PORT, got {master!r}")
    return host, int(port) if port else DEFAULT_MASTER_PORT


def run_worker(master: str, timeout_s: float, console: Console) -> int:
    host, port = split_master(master)
    console.print(f"locust worker for {host}:{port} (at most {timeout_s:g} s)")
    worker = subprocess.Popen([sys.executable, "-m", "locust", "-f", locustfile_path(), "--worker",
                               "--master-host", host, "--master-port", str(port)],
                              start_new_session=True)
    try:
        return worker.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        console.print(f"error: no run ended within {timeout_s:g} s; the worker was stopped")
        return 2
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
