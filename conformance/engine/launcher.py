"""Start the image as SageMaker starts a hosting container: `docker run IMAGE serve`
(ENTRYPOINT kept, CMD replaced), only the model's own environment, the model mounted
read-only at /opt/ml/model, the instance's vCPUs and memory as limits, no privileges.
Source: shared/contract.md section 13, row "Real-time (single container)" (HOST)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import docker
from docker.errors import APIError
from docker.models.containers import Container

from ..config import RunConfig, host_cpu_count, parse_memory
from ..contract import SERVING_PORT
from ..instances import GIB
from . import reach
from .session import RunSession



@dataclass
class Target:
    """Where the tool talks to the container."""

    container: Optional[Container]   # None: a --target the tool did not start
    host: str
    port: int
    connection: str  # "bridge" / "joined" (exact accept timings), "published" (docker-proxy; reach.py) or "target"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def exact_accept(self) -> bool:
        return self.connection in ("bridge", "joined")


@dataclass(frozen=True)
class Limits:
    cpus: float
    memory_bytes: int
    note: str


def resolve_limits(config: RunConfig) -> Limits:
    fixed = config.mode_settings.fixed_limits()   # serverless: the memory size is the hard limit
    if fixed is not None:
        return _capped(*fixed)
    instance = config.instance
    cpus = config.cpus if config.cpus is not None else float(instance.vcpus)
    memory = parse_memory(config.memory) if config.memory else int(instance.memory_gib * GIB)
    return _capped(cpus, memory, instance.name)


def _capped(cpus: float, memory: int, name: str) -> Limits:
    note = ""
    if cpus > host_cpu_count():
        note = f"{name} has {cpus:g} vCPUs; this host has {host_cpu_count()}, so the limit is {host_cpu_count()}"
        cpus = float(host_cpu_count())
    return Limits(cpus, memory, note)


def create_network(client: docker.DockerClient, session: RunSession, internal: bool = False):
    """The run's labelled network; `internal` (--network-isolation): no route out, and the
    tool reaches the container on the bridge itself (contract.md image.network-isolation)."""
    network = client.networks.create(f"smc-{session.run_id}", driver="bridge", internal=internal,
                                     labels=session.labels, check_duplicate=True)
    session.on_close(network.remove)
    return network


def create_serving_container(client: docker.DockerClient, config: RunConfig,
                             session: RunSession, network_name: str, model_volumes: dict,
                             limits: Limits, connection: str, role: str = "serve",
                             user: Optional[str] = None, image: Optional[str] = None,
                             env: Optional[dict] = None) -> Container:
    """`role` names another container of the same run (a drill, a pipeline's container-N,
    also its hostname then); `user` overrides the image's USER (the serverless non-root
    drill); `image` and `env` (added to the run's) serve a pipeline's other images."""
    kwargs = dict(
        image=image or config.image, command=["serve"], environment={**config.container_env, **(env or {})},
        labels=session.labels, name=f"smc-{session.run_id}-{role}", detach=True,
        network=network_name,
        volumes=model_volumes,
        mem_limit=limits.memory_bytes, memswap_limit=limits.memory_bytes,   # no swap: a hard limit
        nano_cpus=int(limits.cpus * 1e9),
        cap_drop=[], privileged=False, tty=False, stdin_open=False,
    )
    if user is not None:
        kwargs["user"] = user
    if role != "serve":
        kwargs["hostname"] = role
    if connection == "published":
        kwargs["ports"] = {f"{SERVING_PORT}/tcp": (reach.publish_address(), None)}
    container = client.containers.create(**kwargs)
    session.on_close(container.remove, v=True, force=True)
    return container


def target_of(url: str) -> Target:
    """An endpoint the tool did not start, from a validated --target http://HOST:PORT."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return Target(None, parts.hostname, parts.port or 80, "target")


def locate(container: Container, network_name: str, connection: str) -> Optional[Target]:
    container.reload()
    settings = container.attrs.get("NetworkSettings", {})
    if connection == "published":
        bindings = (settings.get("Ports") or {}).get(f"{SERVING_PORT}/tcp") or []
        if not bindings:
            return None
        return Target(container, reach.engine_host(), int(bindings[0]["HostPort"]), connection)
    address = (settings.get("Networks", {}).get(network_name) or {}).get("IPAddress")
    return Target(container, address, SERVING_PORT, connection) if address else None


def start(container: Container) -> Optional[str]:
    """Start; return Docker's error text when the engine cannot even exec the process."""
    try:
        container.start()
    except APIError as exc:
        return str(exc.explanation or exc)
    return None
