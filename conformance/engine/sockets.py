"""What a container listens on, read from its own socket table (/proc/net/tcp{,6} of its
network namespace): from the host through /proc/<pid>/net when that PID provably is the
container's process (Linux, local engine: its cgroup names the container), else with
`cat` inside the container, else unknown (None: a distroless image on a remote or
rootless engine). The listen backlog (what `ss -ltn` shows as Send-Q) is read with `ss`
in the container's network namespace, from the host or inside the container."""
from __future__ import annotations

import ipaddress
import shutil
import subprocess
from dataclasses import dataclass
from typing import Optional

from docker.errors import APIError
from docker.models.containers import Container

TCP_LISTEN = "0A"
DOCKER_DNS = "127.0.0.11"  # Docker's embedded DNS resolver on user-defined networks


@dataclass(frozen=True)
class Listener:
    address: str
    port: int

    @property
    def all_interfaces(self) -> bool:
        return self.address in ("0.0.0.0", "::")

    @property
    def loopback(self) -> bool:
        return ipaddress.ip_address(self.address).is_loopback

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}"


def local_pid(container: Container) -> int:
    """The container's PID 1 as a process of this host, or 0 when it is not one (remote
    or rootless engine, Docker Desktop, the tool itself in a container)."""
    pid = (container.attrs.get("State") or {}).get("Pid") or 0
    if not pid:
        return 0
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            return pid if container.id in f.read() else 0
    except OSError:
        return 0


def read_listeners(container: Container) -> Optional[list[Listener]]:
    pid = local_pid(container)
    tables = _read_host_proc(pid) if pid else None
    if tables is None:
        tables = _read_via_exec(container)
    if tables is None:
        return None
    found = {l for text, v6 in tables for l in _parse(text, v6) if l.address != DOCKER_DNS}
    return sorted(found, key=lambda l: (l.port, l.address))


def _read_host_proc(pid: int) -> Optional[list[tuple[str, bool]]]:
    try:
        with open(f"/proc/{pid}/net/tcp") as f4, open(f"/proc/{pid}/net/tcp6") as f6:
            return [(f4.read(), False), (f6.read(), True)]
    except OSError:
        return None


def _read_via_exec(container: Container) -> Optional[list[tuple[str, bool]]]:
    out = []
    for name, v6 in (("tcp", False), ("tcp6", True)):
        try:
            code, data = container.exec_run(["cat", f"/proc/net/{name}"], demux=False)
        except APIError:
            return None
        if code != 0:
            if v6:
                continue
            return None
        out.append((data.decode(errors="replace"), v6))
    return out


def _parse(text: str, v6: bool) -> list[Listener]:
    listeners = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != TCP_LISTEN:
            continue
        hex_addr, hex_port = fields[1].split(":")
        listeners.append(Listener(_decode_addr(hex_addr, v6), int(hex_port, 16)))
    return listeners


def _decode_addr(hex_addr: str, v6: bool) -> str:
    raw = bytes.fromhex(hex_addr)
    # The kernel prints each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.IPv6Address(words) if v6 else ipaddress.IPv4Address(words))


def listen_backlog(container: Container, port: int) -> tuple[Optional[int], str]:
    """(backlog of the socket listening on `port`, how it was read) or (None, why not)."""
    pid = local_pid(container)
    output = None
    how = ""
    if pid and shutil.which("nsenter") and shutil.which("ss"):
        try:
            done = subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", "ss", "-Hltn"],
                                  capture_output=True, text=True, timeout=5)
            if done.returncode == 0:
                output, how = done.stdout, "`ss -ltn` in the container's network namespace"
        except (OSError, subprocess.SubprocessError):
            pass
    if output is None:
        try:
            code, data = container.exec_run(["ss", "-Hltn"], demux=False)
            if code == 0:
                output, how = data.decode(errors="replace"), "`ss -ltn` inside the container"
        except APIError:
            pass
    if output is None:
        return None, "the listen backlog could not be read (no `ss` here, nor in the image)"
    for line in output.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "LISTEN" and fields[3].rsplit(":", 1)[-1] == str(port):
            return int(fields[2]), how
    return None, f"nothing listens on port {port} ({how})"


SIGTERM_BIT = 1 << (15 - 1)   # signal 15, bit 14 of the SigCgt / SigIgn masks


def sigterm_disposition(container: Container) -> str:
    """What PID 1 of the container does with SIGTERM, from /proc/<pid>/status: "caught",
    "ignored", "default" (for PID 1 of a container, the kernel then drops the signal),
    or "unknown" when the status cannot be read (host and in-container both refused)."""
    text = None
    pid = local_pid(container)
    if pid:
        try:
            with open(f"/proc/{pid}/status") as f:
                text = f.read()
        except OSError:
            text = None
    if text is None:
        try:
            code, data = container.exec_run(["cat", "/proc/1/status"], demux=False)
            text = data.decode(errors="replace") if code == 0 else None
        except APIError:
            text = None
    if not text:
        return "unknown"
    masks = {k: int(v, 16) for k, v in (l.split(":\t", 1) for l in text.splitlines() if ":\t" in l)
             if k in ("SigCgt", "SigIgn")}
    if masks.get("SigCgt", 0) & SIGTERM_BIT:
        return "caught"
    if masks.get("SigIgn", 0) & SIGTERM_BIT:
        return "ignored"
    return "default" if masks else "unknown"
