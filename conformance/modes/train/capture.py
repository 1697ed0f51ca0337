"""What the hosts of a distributed job send each other, captured on the job's bridge with
scapy (root, Linux) and classified per flow: TLS records, other high-entropy opaque
bytes, or readable plaintext (with one sample).

The platform's inter-container traffic encryption (EnableInterContainerTrafficEncryption)
wraps traffic between instances in IPsec below the container (contract.md
distributed.ice.*); here, on one machine, we can only see what the container itself puts
on the wire, which is what the check reports."""
from __future__ import annotations

import math
import string
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

TLS_CONTENT_TYPES = {20, 21, 22, 23}   # change_cipher_spec, alert, handshake, application_data
PRINTABLE = set(string.printable.encode())


@dataclass
class Flow:
    src: str
    dst: str
    payload: bytearray = field(default_factory=bytearray)
    packets: int = 0

    @property
    def kind(self) -> str:
        data = bytes(self.payload)
        if len(data) >= 5 and data[0] in TLS_CONTENT_TYPES and data[1] == 3 and data[2] <= 4:
            return "tls"
        if len(data) >= 64 and entropy(data) >= 7.0:
            return "opaque"
        return "plaintext"

    def sample(self, size: int = 80) -> str:
        text = bytes(self.payload[:size])
        return "".join(chr(b) if b in PRINTABLE and b not in b"\r\n\t\x0b\x0c" else "." for b in text)


def entropy(data: bytes) -> float:
    counts = Counter(data)
    return -sum(c / len(data) * math.log2(c / len(data)) for c in counts.values())


class Capture:
    """Sniffs TCP payloads between the given addresses on a bridge interface."""

    def __init__(self, interface: str, subnet: str, gateway: str) -> None:
        import ipaddress
        self.interface = interface
        self.subnet = ipaddress.ip_network(subnet) if subnet else None
        self.gateway = gateway
        self.flows: dict = {}
        self.error = ""
        self._sniffer = None

    def start(self) -> None:
        try:
            from scapy.all import AsyncSniffer
        except ImportError:
            self.error = "scapy is not installed: pip install 'sagemaker-conformance[capture]'"
            return
        try:
            self._sniffer = AsyncSniffer(iface=self.interface, store=False, prn=self._packet)
            self._sniffer.start()
        except Exception as exc:  # no scapy, no root, no such interface: say why
            self.error = f"{type(exc).__name__}: {exc}"

    def stop(self) -> None:
        if self._sniffer is not None:
            try:
                self._sniffer.stop()
            except Exception as exc:
                self.error = self.error or f"{type(exc).__name__}: {exc}"

    def _packet(self, packet) -> None:
        from scapy.all import IP, TCP, Raw
        if IP not in packet or TCP not in packet or Raw not in packet:
            return
        src = f"{packet[IP].src}:{packet[TCP].sport}"
        dst = f"{packet[IP].dst}:{packet[TCP].dport}"
        if not (self._host(packet[IP].src) and self._host(packet[IP].dst)):
            return
        flow = self.flows.setdefault((src, dst), Flow(src, dst))
        flow.packets += 1
        if len(flow.payload) < 65536:
            flow.payload.extend(bytes(packet[Raw].load))

    def _host(self, address: str) -> bool:
        import ipaddress
        return (self.subnet is not None and address != self.gateway
                and ipaddress.ip_address(address) in self.subnet)

    def between_hosts(self) -> list:
        return [f for f in self.flows.values() if f.payload]


def bridge_interface(network_id: str) -> str:
    return f"br-{network_id[:12]}"


def summarize(flows: list, names: dict) -> list:
    """Rows for the report: who sent to whom, how many bytes, what kind, a sample."""
    rows = []
    for flow in flows:
        src_host = names.get(flow.src.split(":")[0], flow.src)
        dst_host = names.get(flow.dst.split(":")[0], flow.dst)
        rows.append({"from": f"{src_host} ({flow.src})", "to": f"{dst_host} ({flow.dst})",
                     "bytes": len(flow.payload), "kind": flow.kind,
                     "sample": flow.sample() if flow.kind == "plaintext" else ""})
    return rows


def first_plaintext(rows: list) -> Optional[dict]:
    return next((r for r in rows if r["kind"] == "plaintext"), None)
