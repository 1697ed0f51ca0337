"""What --load asks for (kept apart from the runner, so that the config does not import
locust): the users, the run's length, the SLOs and where workers come from."""
from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig


@dataclass(frozen=True)
class LoadSettings:
    users: int = 10
    spawn_rate: float = 10.0
    duration_s: float = 30.0
    p99_ms: Optional[float] = None
    max_error_rate: float = 0.01
    workers: int = 0
    ping_interval_s: float = 1.0
    min_rps: Optional[float] = None
    master: Optional[str] = None        # HOST:PORT to accept workers from other machines on
    remote_workers: int = 0             # how many of those to wait for
    worker_wait_s: float = 60.0         # bound on waiting for every worker to connect

    def master_address(self) -> tuple[str, int]:
        """Where the master listens: the given HOST:PORT, else a free local port."""
        if not self.master:
            return "127.0.0.1", free_port()
        host, _, port = self.master.rpartition(":")
        return host or "0.0.0.0", int(port)

    def validate(self, config: "RunConfig") -> None:
        if config.payload is None:
            raise UsageError("--load needs --payload", "give a request body for /invocations")
        if not config.serves:
            raise UsageError("--load applies to --mode serve")
        if self.users < 1 or self.duration_s <= 0 or self.workers < 0 or self.spawn_rate <= 0:
            raise UsageError("--users must be >= 1, --spawn-rate > 0, --duration > 0, --workers >= 0")
        if self.master and not re.fullmatch(r"[^\s:]*:\d{1,5}", self.master):
            raise UsageError(f"--load-master expects HOST:PORT, got {self.master!r}",
                             "e.g. 0.0.0.0:5557 to take workers from any interface")
        if self.master and self.remote_workers < 1:
            raise UsageError("--remote-workers must be >= 1 with --load-master")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
