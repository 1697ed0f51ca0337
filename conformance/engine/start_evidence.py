"""Deciding a start before the platform's window ends, on evidence only.

The platform keeps pinging until its window (480 s by default) ends; a container that is
still moving towards health must get all of it. One that is stuck gains nothing from it:
`/ping` keeps giving the same wrong answer (a status other than 200, or no answer within
2 s), or the server listens on other ports than the one the platform calls, while the
container does nothing at all. `StartWatch` looks once a second at what can be seen
from outside (the /ping answers, the container's socket table, its CPU time, memory and
received bytes from the engine's stats, and its log) and calls a start stuck only when
that whole picture has stayed the same, and the container idle, for the settle time
(`--settle-time`). Anything that moves (CPU busy loading a model, memory growing, a
download, disk reads or writes, a log line of a new shape, a socket opened or closed, another /ping answer)
starts the settle time again (disk I/O only where the engine reports it; not seen on every
storage driver). Where the CPU cannot be read it never decides: it waits.
Nothing listening at all is never called stuck (a server may still be on its way).
Rule: contract.md inference.ping.window (HOST: the platform pings until the window
ends, then fails the endpoint); the settle time is this tool's choice."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional

from docker.errors import DockerException
from docker.models.containers import Container

from .http import HttpSample
from .sockets import Listener
from ..contract import PING_LIMIT_S

OBSERVE_EVERY_S = 1.0
BUSY_CPU_FRACTION = 0.10          # of one core over one look: busy (pings cost ~0.1 %)
BUSY_RX_BYTES_PER_S = 256 * 1024  # received faster than this: a download, not our pings
BUSY_MEMORY_BYTES_PER_S = 16 * 1024 * 1024   # memory growing faster than this: loading
BUSY_DISK_BYTES_PER_S = 1024 * 1024            # read or written faster than this: a model on its way
LOG_LINES_PER_LOOK = 400          # a bound on what one look reads of the log


@dataclass(frozen=True)
class Activity:
    """The engine's cumulative counters for the container at one moment."""
    at: float                 # monotonic
    cpu_s: float
    memory_bytes: int
    rx_bytes: int
    disk_bytes: int = 0       # block I/O read and written (0 where the engine reports none)


def read_activity(container: Container, at: float) -> Optional[Activity]:
    """One-shot stats (no 1 s wait for a second sample); None when the engine gives none."""
    try:
        stats = container.stats(stream=False, one_shot=True)
    except (DockerException, ValueError, OSError):
        return None
    cpu_ns = ((stats.get("cpu_stats") or {}).get("cpu_usage") or {}).get("total_usage")
    if not cpu_ns:
        return None
    memory = (stats.get("memory_stats") or {}).get("usage") or 0
    rx = sum(n.get("rx_bytes", 0) for n in (stats.get("networks") or {}).values())
    disk = sum(int(e.get("value", 0)) for e in ((stats.get("blkio_stats") or {}).get("io_service_bytes_recursive") or [])
               if str(e.get("op", "")).lower() in ("read", "write"))
    return Activity(at, cpu_ns / 1e9, int(memory), int(rx), disk)


def ping_key(sample: HttpSample) -> str:
    """What a /ping did, with the timings left out: "500", "timeout", "refused"..."""
    if sample.status is not None:
        return str(sample.status)
    if sample.error.startswith("no answer"):
        return "timeout"
    return sample.error.split(" after ")[0][:60] or "error"


_SHAPE = [(re.compile(r"\x1b\[[0-9;]*[A-Za-z]"), ""), (re.compile(r"\b[0-9a-fA-F]{8,}\b"), "x"),
          (re.compile(r"\d+"), "0")]


def line_shape(line: str) -> str:
    """A log line with its numbers, ids and colours taken out: a server that logs the same
    access line for every /ping, or the same error, repeats one shape."""
    for pattern, replacement in _SHAPE:
        line = pattern.sub(replacement, line)
    return line.strip()


@dataclass
class StuckEvidence:
    kind: str                    # ping-status | ping-timeout | port
    ping: str                    # what /ping gave, as ping_key
    tries: int                   # /ping attempts while the state held
    over_s: float                # how long it held
    settle_s: float
    port: int
    cpu_percent: Optional[float]         # of one core, while it held (None: a --target)
    listeners: Optional[list] = None     # what the container listened on (None: unknown)

    @property
    def summary(self) -> str:
        what = {"ping-status": f"/ping answered {self.ping} on {self.tries} tries over {self.over_s:.0f} s",
                "ping-timeout": f"/ping gave no answer within {PING_LIMIT_S:g} s on {self.tries} tries "
                                f"over {self.over_s:.0f} s",
                "port": f"nothing answered on port {self.port} ({self.tries} tries over {self.over_s:.0f} s: "
                        f"{self.ping})"}[self.kind]
        parts = [what]
        if self.cpu_percent is not None:
            parts.append(f"the container used {self.cpu_percent:.1f} % of a CPU")
        if self.listeners is not None:
            listening = ", ".join(self.listeners) or "nothing"
            parts.append(f"listening on {listening}" + (f", not {self.port}" if self.kind == "port" else ""))
        return "; ".join(parts)

    @property
    def verdict_note(self) -> str:
        return (f"nothing changed for {self.settle_s:g} s (--settle-time), so the tool stopped waiting; "
                f"the platform would keep trying until its window ends and then fail the same way")

    def measured(self) -> tuple:
        """(measured, limit, unit) for a check's result: what the evidence itself shows."""
        if self.kind == "ping-status":
            return int(self.ping), 200, "status"
        if self.kind == "ping-timeout":
            return f">{PING_LIMIT_S:g}", PING_LIMIT_S, "s"
        ports = sorted({int(l.rsplit(":", 1)[1]) for l in self.listeners or []})
        return ",".join(map(str, ports)), self.port, "port"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "ping": self.ping, "tries": self.tries, "over_s": round(self.over_s, 1),
                "settle_s": self.settle_s, "port": self.port, "cpu_percent": self.cpu_percent,
                "listeners": self.listeners}


@dataclass
class StartWatch:
    """Fed every /ping and, once a second, what the container shows; says when it is stuck."""
    container: Optional[Container]     # None: a --target (only /ping can be seen)
    port: int
    settle_s: float
    since: float = 0.0                 # when the current state began, or last moved
    ping: Optional[str] = None         # ping_key of the current state
    listeners: Optional[tuple] = None  # the socket table of the current state
    tries: int = 0                     # /ping attempts within the current state
    moving: str = ""                   # why the settle time last started again (progress line)
    _first: Optional[Activity] = None  # counters when the current state began
    _last: Optional[Activity] = None
    _shapes: set = field(default_factory=set)
    _log_from: Optional[dt.datetime] = None
    _last_look: float = -1e9

    def saw(self, now: float, sample: HttpSample) -> None:
        key = ping_key(sample)
        if key != self.ping:
            self.ping = key
            self._restart(now, f"/ping: {key}")
        self.tries += 1

    def due(self, now: float) -> bool:
        return now - self._last_look >= OBSERVE_EVERY_S

    def look(self, now: float, listeners: Optional[list[Listener]]) -> Optional[StuckEvidence]:
        """One look at the container; the evidence when the start is stuck, else None."""
        self._last_look = now
        table = None if listeners is None else tuple(sorted(map(str, listeners)))
        moved = self._moved(now)
        if table != self.listeners:
            self.listeners = table
            self._restart(now, "its sockets changed")
        elif moved:
            self._restart(now, moved)
        elif now - self.since >= self.settle_s:
            return self._evidence(now, listeners)
        return None

    def _restart(self, now: float, why: str) -> None:
        self.since, self.tries, self.moving = now, 0, why
        self._first = self._last

    def _moved(self, now: float) -> str:
        """Why the container is not idle since the last look ("" when it is)."""
        if self.container is None:
            return ""
        current = read_activity(self.container, now)
        previous, self._last = self._last, current
        new_shapes = self._new_log_shapes()
        if current is None:
            return "its CPU use cannot be read"
        if previous is None:
            return "the first look at its CPU use"
        span = max(current.at - previous.at, 1e-3)
        cpu = (current.cpu_s - previous.cpu_s) / span
        if cpu > BUSY_CPU_FRACTION:
            return f"busy: {cpu * 100:.0f} % CPU"
        if (current.rx_bytes - previous.rx_bytes) / span > BUSY_RX_BYTES_PER_S:
            return "receiving data"
        if (current.memory_bytes - previous.memory_bytes) / span > BUSY_MEMORY_BYTES_PER_S:
            return "memory growing"
        if (current.disk_bytes - previous.disk_bytes) / span > BUSY_DISK_BYTES_PER_S:
            return "reading or writing its disk"
        if new_shapes:
            return "a new kind of log line"
        return ""

    def _new_log_shapes(self) -> int:
        try:
            raw = self.container.logs(timestamps=True, since=self._log_from, tail=LOG_LINES_PER_LOOK)
        except (DockerException, OSError):
            return 0
        new = 0
        for line in raw.decode(errors="replace").splitlines():
            stamp, _, text = line.partition(" ")
            self._log_from = _parse_stamp(stamp) or self._log_from
            shape = line_shape(text)
            if shape and shape not in self._shapes:
                self._shapes.add(shape)
                new += 1
        return new

    def _evidence(self, now: float, listeners: Optional[list[Listener]]) -> Optional[StuckEvidence]:
        key = self.ping or ""
        on_port = [l for l in listeners or [] if l.port == self.port]
        if key.isdigit() and key != "200":
            kind = "ping-status"
        elif key == "timeout":
            kind = "ping-timeout"
        elif listeners and not on_port and self.container is not None:
            kind = "port"
        else:
            return None   # e.g. nothing listens at all: it may still be on its way
        cpu = None
        if self.container is not None:
            if self._first is None or self._last is None or self._last.at <= self._first.at:
                return None
            cpu = round(100 * (self._last.cpu_s - self._first.cpu_s) / (self._last.at - self._first.at), 2)
        return StuckEvidence(kind, key, self.tries, now - self.since, self.settle_s, self.port, cpu,
                             None if listeners is None else [str(l) for l in listeners])


def _parse_stamp(stamp: str) -> Optional[dt.datetime]:
    """Docker's RFC 3339 timestamp with nanoseconds, to the microsecond."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", stamp)
    if not match:
        return None
    micro = (match.group(2) or "0")[:6].ljust(6, "0")
    base = dt.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return base.replace(microsecond=int(micro))
