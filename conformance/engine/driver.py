"""What a mode's driver does for the runner: `prepare` creates what the run needs (network,
container, volumes) and shares it with the checks' context; `start` brings it up and
waits. ServeDriver is the serving launch every hosted mode starts from; a mode's own
driver (modes/<mode>/driver.py) adds to it. The runner gets the driver class from the
mode's registry entry, never by naming a mode."""
from __future__ import annotations

import functools
from typing import Callable, Optional

import docker

from ..config import RunConfig
from .context import CheckContext
from .endpoint import launch, nonroot_drill, restart, start_and_wait
from .lifecycle import drill_container
from .port_drill import bind_to_port_drill
from .probes import Probes
from .session import RunSession


class ServeDriver:
    starting = "starting the container (`serve`)"

    def __init__(self, client: docker.DockerClient, config: RunConfig, session: RunSession,
                 ctx: CheckContext, progress: Callable[[str], None], payload: Optional[bytes]) -> None:
        self.client, self.config, self.session, self.ctx = client, config, session, ctx
        self.progress, self.payload = progress, payload

    def prepare(self, environment: dict) -> None:
        self.launched = launch(self.client, self.config, self.session)
        self._share_launch(environment)

    def _share_launch(self, environment: dict) -> None:
        """What the checks get of the launched container: it, its drills and its log."""
        self.ctx.container = self.launched.container
        self.ctx.stop_drill = functools.cache(lambda: drill_container(self.ctx.container, self.config.stop_grace_s))
        self.ctx.log_tail = lambda: container_tail(self.launched.container)
        self.ctx.nonroot_drill = functools.cache(lambda: nonroot_drill(
            self.client, self.config, self.session, self.launched, self.progress))
        self.ctx.port_drill = functools.cache(lambda wait_s: bind_to_port_drill(
            self.client, self.config, self.session, self.launched, wait_s, self.progress))
        environment["connection"] = self.launched.connection
        environment["exact_accept_timings"] = self.launched.connection == "bridge"

    def start(self, environment: dict) -> None:
        self.ctx.target, self.ctx.startup = start_and_wait(self.launched, self.config, self.progress)
        self._probe_when_healthy(environment)
        if self.ctx._probes is not None:
            self.ctx._probes.restart = lambda: restart(self.launched, self.ctx.target, lambda _: None)

    def _probe_when_healthy(self, environment: dict) -> None:
        ctx = self.ctx
        if ctx.startup.healthy:
            payload = self.payload if ctx.has_payload else None   # only ever for /invocations
            ctx._probes = Probes(ctx.target, payload, self.config.content_type,
                                 self.config.accept, self.progress, self.config)
            ctx._probes.log_tail = ctx.logs
            ctx._probes.warm(set(ctx.selected))
        environment["time_to_healthy_s"] = round(ctx.startup.elapsed_s, 3) if ctx.startup.healthy else None


def container_tail(container, lines: int = 40, max_bytes: int = 64 * 1024) -> str:
    try:
        return container.logs(tail=lines)[-max_bytes:].decode(errors="replace")
    except docker.errors.DockerException:   # gone already: logs are best effort
        return ""


def containers_tail(labelled: list, lines: int = 15) -> str:
    """The last log lines of several containers, each under its label; a container that has
    logged nothing yet is left out, so that nothing at all reads as no log (not as headers)."""
    tails = [(label, container_tail(container, lines)) for label, container in labelled]
    return "\n".join(f"--- {label}\n{text}" for label, text in tails if text.strip())


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])
