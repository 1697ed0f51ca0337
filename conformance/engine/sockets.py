"""What a container listens on, read from its own socket table (/proc/net/tcp{,6} of its
network namespace): from the host through /proc/<pid>/net when we can read it (Linux,
local engine), else with `cat` inside the container, else unknown (None)."""
from __future__ import annotations

import ipaddress
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


def read_listeners(container: Container) -> Optional[list[Listener]]:
    pid = (container.attrs.get("State") or {}).get("Pid") or 0
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
