"""One network per training run, shared by its jobs one after another, with a fixed
address per host written into every host's /etc/hosts. On the platform every host name
resolves for the job's whole life (instances outlive their containers); Docker's own DNS
forgets a container once it exits, so a host that finishes first would vanish for a peer
that resolves late (sagemaker-training resolves every host at start and retries for 15
minutes). Fixed addresses keep each name resolvable whatever order the hosts start and
finish in. Source: contract.md distributed.hosts (TRAIN-INFO: hosts algo-1..algo-N)."""
from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass

import docker
from docker.errors import APIError
from docker.types import IPAMConfig, IPAMPool

from ...engine.session import RunSession

ATTEMPTS = 3   # another engine user may take the subnet between our two creates


@dataclass
class JobNetwork:
    network: object          # docker.models.networks.Network
    addresses: dict          # host name -> IPv4 address

    @property
    def name(self) -> str:
        return self.network.name

    def endpoint_config(self, client: docker.DockerClient, host: str, named: bool = True) -> dict:
        """`named=False`: the host has its address but its name does not resolve yet."""
        return {self.name: client.api.create_endpoint_config(
            aliases=[host] if named else None, ipv4_address=self.addresses[host])}

    def name_later(self, containers: dict, lag_s: float) -> threading.Timer:
        """After `lag_s`, give each running host its name on this network (a reconnect at
        the same address: its listening sockets stay), as the platform's DNS names hosts
        only some time after they start (contract.md training.resourceconfig: DNS may lag)."""
        def name_all() -> None:
            for host, container in containers.items():
                try:
                    self.network.disconnect(container)
                    self.network.connect(container, aliases=[host], ipv4_address=self.addresses[host])
                except APIError:   # the host has exited already
                    pass
        timer = threading.Timer(lag_s, name_all)
        timer.daemon = True
        timer.start()
        return timer


@dataclass(frozen=True)
class HostsDrill:
    """A job whose hosts learn who they are only from resourceconfig.json: each container's
    hostname is an EC2-style private name (ip-a-b-c-d), not its current_host; no host name
    is written into /etc/hosts; and each host's name resolves only `dns_lag_s` after start."""
    dns_lag_s: float

    @staticmethod
    def hostname(address: str) -> str:
        return "ip-" + address.replace(".", "-")


def create_job_network(client: docker.DockerClient, session: RunSession, hosts: list,
                       internal: bool = False) -> JobNetwork:
    """A labelled bridge network on a subnet the engine picked, declared as the network's
    own (Docker assigns fixed addresses only on a network whose subnet was given).
    `internal`: no route out (network isolation); the hosts still reach each other."""
    last_error: Exception | None = None
    for attempt in range(ATTEMPTS):
        subnet, gateway = _free_subnet(client, session)
        try:
            network = client.networks.create(
                f"smc-{session.run_id}-train", driver="bridge", labels=session.labels, internal=internal,
                ipam=IPAMConfig(pool_configs=[IPAMPool(subnet=subnet, gateway=gateway)]))
        except APIError as exc:
            last_error = exc
            continue
        session.on_close(network.remove)
        skip = {ipaddress.ip_address(gateway)}
        free = (str(a) for a in ipaddress.ip_network(subnet).hosts() if a not in skip)
        return JobNetwork(network, {host: next(free) for host in hosts})
    raise last_error or RuntimeError("could not create the training network")


def _free_subnet(client: docker.DockerClient, session: RunSession) -> tuple[str, str]:
    probe = client.networks.create(f"smc-{session.run_id}-subnet", driver="bridge",
                                   labels=session.labels)
    try:
        probe.reload()
        config = (probe.attrs.get("IPAM", {}).get("Config") or [{}])[0]
        return config["Subnet"], config["Gateway"]
    finally:
        probe.remove()
