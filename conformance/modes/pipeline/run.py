"""An inference pipeline or multi-container endpoint (--pipeline): 2-15 containers side by
side on one labelled network, each told its own port in SAGEMAKER_BIND_TO_PORT and the
range for any other port in SAGEMAKER_SAFE_PORT_RANGE (contract.md §7, PIPE, MCE).
Each container is named by its position (ContainerHostname auto-assigned from position)."""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import docker

from ...config import RunConfig
from ...engine import launcher
from ...engine.launcher import Target
from ...engine.port_drill import BIND_PORT_BASE, SAFE_PORT_RANGE
from ...engine.readiness import StartupResult, labelled, wait_healthy, wait_in_background
from ...engine.session import RunSession


@dataclass
class Member:
    index: int
    image: str
    hostname: str
    port: int
    container: object = None
    target: Optional[Target] = None
    startup: Optional[StartupResult] = None


@dataclass
class PipelineRun:
    mode: str                            # serial | direct
    members: list = field(default_factory=list)
    network_name: str = ""
    connection: str = "bridge"

    @property
    def healthy(self) -> bool:
        return all(m.startup is not None and m.startup.healthy for m in self.members)


def create_pipeline(client: docker.DockerClient, config: RunConfig, session: RunSession) -> PipelineRun:
    """Create (not start) every container of the pipeline on one labelled network."""
    from ...engine.endpoint import network_and_model
    connection, network_name, volumes = network_and_model(
        client, config, session, published_refused="--pipeline needs a direct route to each container "
        "(--connect bridge or joined); publishing one port per container is not supported yet")
    limits = launcher.resolve_limits(config)
    run = PipelineRun(config.mode_settings.execution, network_name=network_name, connection=connection)
    for index, image in enumerate(config.pipeline_images):
        member = Member(index + 1, image, f"container-{index + 1}", BIND_PORT_BASE + index)
        env = {"SAGEMAKER_BIND_TO_PORT": str(member.port),
               "SAGEMAKER_SAFE_PORT_RANGE": "%d-%d" % SAFE_PORT_RANGE}
        member.container = launcher.create_serving_container(
            client, config, session, network_name, volumes, limits, connection,
            role=member.hostname, image=image, env=env)
        run.members.append(member)
    return run


def start_pipeline(run: PipelineRun, config: RunConfig, progress: Callable[[str], None]) -> None:
    """Start every container, then wait for each one's first healthy /ping on its port, all
    at once and within the one start-up wait (they start together, as on one instance)."""
    began = time.monotonic()
    for member in run.members:
        error = launcher.start(member.container)
        if error:
            member.startup = StartupResult("start-failed", 0.0, start_error=error)
    joins = {}
    for member in run.members:
        if member.startup is not None:
            continue
        found = launcher.locate(member.container, run.network_name, run.connection)   # never published here
        if found is None:
            state = member.container.attrs.get("State", {})
            member.startup = StartupResult("exited", time.monotonic() - began, exit_code=state.get("ExitCode"))
            continue
        member.target = Target(member.container, found.host, member.port, run.connection)
        told = labelled(progress, f"{member.hostname} ({member.image})")
        told(f"waiting for /ping on port {member.port}")
        joins[member.hostname] = wait_in_background(functools.partial(
            wait_healthy, member.target, began, config.startup_wait_s, told, config.settle_time_s,
            port=member.port), member.hostname)
    for member in run.members:
        if member.hostname in joins:
            member.startup = joins[member.hostname](config.startup_wait_s)
