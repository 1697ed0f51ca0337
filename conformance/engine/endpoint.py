"""Launching a serving container, shared by the check run and by users' own tests
(`serving_endpoint`, behind the pytest fixture `sagemaker_endpoint`)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

import docker
from docker.models.containers import Container

from ..config import RunConfig
from ..errors import ConformanceError, UsageError
from . import launcher
from .docker_env import connect, get_image
from . import reach
from .opt_ml import model_mount, prepare_model_dir
from .readiness import StartupResult, wait_healthy
from .session import RunSession


@dataclass
class Launched:
    container: Container
    network_name: str
    connection: str
    limits: launcher.Limits
    volumes: dict          # the model mount, for a drill's second container


def network_and_model(client: docker.DockerClient, config: RunConfig, session: RunSession,
                      published_refused: str = "", volumes: Optional[dict] = None) -> tuple[str, str, dict]:
    """(connection, network name, model volumes) every serving container of a run shares:
    the labelled network (internal with --network-isolation), the tool's own container
    joined to it when it runs in one, the model mounted read-only (or `volumes`, already made)."""
    connection = reach.choose_connection(client, config.connect)
    if connection == "published" and (published_refused or config.network_isolation):
        raise UsageError(published_refused or "--network-isolation cannot publish a port: an internal "
                         "network has no route from outside", "run the tool on the engine's host "
                         "(--connect bridge) or in a container on it (--connect joined)")
    network = launcher.create_network(client, session, internal=config.network_isolation)
    if connection == "joined":   # the tool's own container joins the run's network
        own = reach.own_container_id(client)
        network.connect(own)
        session.on_close(network.disconnect, own, force=True)
    if volumes is None:
        volumes = model_mount(client, session, config.image, prepare_model_dir(config.model, session))
    return connection, network.name, volumes


def launch(client: docker.DockerClient, config: RunConfig, session: RunSession,
           volumes: Optional[dict] = None) -> Launched:
    """Create (not start) the labelled network and container; `volumes` replaces the
    /opt/ml/model mount (a multi-model endpoint's models)."""
    limits = launcher.resolve_limits(config)
    connection, network_name, volumes = network_and_model(client, config, session, volumes=volumes)
    container = launcher.create_serving_container(client, config, session, network_name,
                                                  volumes, limits, connection)
    return Launched(container, network_name, connection, limits, volumes)


def start_and_wait(launched: Launched, config: RunConfig,
                   progress: Callable[[str], None] = lambda _: None
                   ) -> tuple[Optional[launcher.Target], StartupResult]:
    began = time.monotonic()
    error = launcher.start(launched.container)
    if error:
        return None, StartupResult("start-failed", time.monotonic() - began, start_error=error)
    target = launcher.locate(launched.container, launched.network_name, launched.connection)
    if target is None:
        state = launched.container.attrs.get("State", {})
        return None, StartupResult("exited", time.monotonic() - began, exit_code=state.get("ExitCode"))
    return target, wait_healthy(target, began, config.startup_wait_s, progress, config.settle_time_s)


RESTART_WAIT_S = 60.0   # a restart to shrink a fuzz input waits this long for /ping


def restart(launched: Launched, target: launcher.Target,
            progress: Callable[[str], None] = lambda _: None) -> bool:
    """Start the same container again after it went down (the fuzzer shrinking an input
    that crashed it). `target` is updated in place, since the address may change. True
    once /ping is healthy again."""
    began = time.monotonic()
    try:
        launched.container.restart(timeout=1)
    except docker.errors.DockerException:
        return False
    found = launcher.locate(launched.container, launched.network_name, launched.connection)
    if found is None:
        return False
    target.host, target.port = found.host, found.port
    return wait_healthy(target, began, RESTART_WAIT_S, progress).healthy


NOBODY = "65534:65534"        # nobody:nogroup on Debian and most bases
NONROOT_WAIT_S = 60.0


@dataclass
class Second:
    """A second container of the image beside the launched one, started: where to reach it
    (None when it could not start or exited at once, with the engine's error), and when."""
    container: Container
    target: Optional[launcher.Target]
    began: float
    start_error: str = ""


@contextmanager
def second_container(client: docker.DockerClient, config: RunConfig, session: RunSession, launched: Launched,
                     role: str, volumes=None, limits: Optional[launcher.Limits] = None,
                     user: Optional[str] = None, env: Optional[dict] = None) -> Iterator[Second]:
    """Start a second container of the image for a drill: on the same network, with its model
    mount and limits unless given others (and `env` added to the run's); removed when the
    drill is done (and by the session, if we are interrupted)."""
    container = launcher.create_serving_container(
        client, config, session, launched.network_name, launched.volumes if volumes is None else volumes,
        limits or launched.limits, launched.connection, role=role, user=user, env=env)
    try:
        began = time.monotonic()
        error = launcher.start(container)
        target = None if error else launcher.locate(container, launched.network_name, launched.connection)
        yield Second(container, target, began, error or "")
    finally:
        container.remove(v=True, force=True)


@contextmanager
def beside(client: docker.DockerClient, config: RunConfig, session: RunSession, launched: Launched,
           role: str, wait_s: float, progress: Callable[[str], None] = lambda _: None,
           volumes=None, limits: Optional[launcher.Limits] = None, user: Optional[str] = None
           ) -> Iterator[tuple[Container, Optional[launcher.Target], StartupResult]]:
    """A second container (second_container), waited for: first healthy /ping within `wait_s`."""
    with second_container(client, config, session, launched, role, volumes, limits, user) as second:
        if second.target is None:
            yield second.container, None, StartupResult("start-failed", time.monotonic() - second.began,
                                                        start_error=second.start_error or "exited")
        else:
            yield second.container, second.target, wait_healthy(second.target, second.began, wait_s, progress,
                                                                config.settle_time_s)


def nonroot_drill(client: docker.DockerClient, config: RunConfig, session: RunSession,
                  launched: Launched, progress: Callable[[str], None] = lambda _: None) -> StartupResult:
    """Start a second container of the image as a non-root user (contract.md
    serverless.user) and wait for its first healthy /ping; it is removed at once."""
    with beside(client, config, session, launched, "nonroot", NONROOT_WAIT_S, progress, user=NOBODY) as started:
        return started[2]


class EndpointNotHealthy(ConformanceError):
    """The container did not become healthy, so there is no endpoint to test."""


@dataclass
class Endpoint:
    base_url: str
    container: Optional[Container]   # None: a --target the tool did not start
    startup: StartupResult

    def logs(self, tail: int = 200) -> str:
        if self.container is None:
            return ""
        return self.container.logs(tail=tail).decode(errors="replace")


def target_endpoint(config: RunConfig) -> Endpoint:
    """--target: the endpoint someone else started, once its /ping answers 200."""
    from ..errors import TargetUnreachable
    config = config.validate()
    target = launcher.target_of(config.target)
    startup = wait_healthy(target, time.monotonic(), config.startup_wait_s, settle_s=config.settle_time_s)
    if not startup.healthy:
        last = startup.attempts[-1].describe() if startup.attempts else "no attempt"
        raise TargetUnreachable(f"{config.target} gave no healthy /ping ({startup.state}; last: {last})",
                                "start the endpoint first, or give --sagemaker-startup-timeout more time")
    return Endpoint(target.base_url, None, startup)


@contextmanager
def serving_endpoint(config: RunConfig) -> Iterator[Endpoint]:
    """A healthy serving container started exactly as the check run starts it; removed
    (with its network and model dir) when the block ends."""
    config = config.validate()
    client = connect()
    get_image(client, config.image)
    with RunSession(client) as session:
        launched = launch(client, config, session)
        target, startup = start_and_wait(launched, config)
        if target is None or not startup.healthy:
            logs = launched.container.logs(tail=30).decode(errors="replace")
            raise EndpointNotHealthy(f"{config.image} did not become healthy ({startup.state})",
                                     "run `sagemaker-conformance check` on it; last logs:\n" + logs)
        yield Endpoint(target.base_url, launched.container, startup)
