"""One driver per mode: what `docker run` means for it, and what the checks get in their
context. The runner looks the driver up by mode; no check or runner code branches on it."""
from __future__ import annotations

import functools
import time
from typing import Callable, Optional

import docker

from .context import CheckContext
from ..config import RunConfig
from ..errors import TargetUnreachable
from ..model import Mode
from .endpoint import launch, nonroot_drill, restart, start_and_wait
from .launcher import target_of
from .lifecycle import drill_container
from .probes import Probes
from .readiness import wait_healthy
from .session import RunSession
from ..modes.train.probes import TrainingProbes


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
        self.ctx.log_tail = lambda: _container_tail(self.launched.container)
        self.ctx.nonroot_drill = functools.cache(lambda: nonroot_drill(
            self.client, self.config, self.session, self.launched, self.progress))
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


class TargetDriver(ServeDriver):
    """An endpoint the tool did not start (--target URL): no image, container or Docker;
    the checks declared remote=True measure it over HTTP, the others say they could not."""
    starting = "waiting for the target's first healthy /ping"

    def prepare(self, environment: dict) -> None:
        environment.update(connection="target", exact_accept_timings=False, target=self.config.target)

    def start(self, environment: dict) -> None:
        self.ctx.target = target_of(self.config.target)
        startup = wait_healthy(self.ctx.target, time.monotonic(), self.config.startup_wait_s, self.progress,
                               self.config.settle_time_s)
        if not startup.healthy and not startup.answered:   # nothing there: no endpoint to judge
            last = startup.attempts[-1].describe() if startup.attempts else "no attempt"
            raise TargetUnreachable(f"{self.config.target} gave no healthy /ping within "
                                    f"{startup.elapsed_s:.0f} s (last: {last})",
                                    "start the endpoint first, or give --startup-timeout more time")
        self.ctx.startup = startup   # an endpoint that answers, but not 200, fails inference.ping
        self._probe_when_healthy(environment)


class PipelineDriver(ServeDriver):
    """--pipeline: every container of the model, side by side (engine/pipeline.py)."""
    starting = "starting the pipeline's containers (`serve`, each on its SAGEMAKER_BIND_TO_PORT)"

    def prepare(self, environment: dict) -> None:
        from ..modes.pipeline.run import create_pipeline
        self.ctx.pipeline = run = create_pipeline(self.client, self.config, self.session)
        self.ctx.container = run.members[0].container
        self._contexts: dict = {}
        self.ctx.containers = self._member_contexts
        self.ctx.log_tail = lambda: "\n".join(f"--- {m.hostname} ({m.image})\n" + _container_tail(m.container, 15)
                                              for m in run.members)
        environment.update(connection=run.connection, pipeline=[f"{m.hostname}: {m.image} on port {m.port}"
                                                                for m in run.members])

    def start(self, environment: dict) -> None:
        from ..modes.pipeline.run import start_pipeline
        start_pipeline(self.ctx.pipeline, self.config, self.progress)
        first = self.ctx.pipeline.members[0]
        self.ctx.target, self.ctx.startup = first.target, first.startup

    def _member_contexts(self) -> list:
        """(name, CheckContext) of each container, for the checks every hosted container
        must pass (each_container=True): its image, process, start-up and own probes."""
        found = []
        for member in self.ctx.pipeline.members:
            ctx = self._contexts.get(member.hostname)
            if ctx is None:
                ctx = self._contexts[member.hostname] = CheckContext(
                    self.config, self.ctx.images.get(member.image, {}), self.ctx.limits,
                    container=member.container, selected=self.ctx.selected, images=self.ctx.images,
                    port=member.port, invokable=False)
                ctx.log_tail = functools.partial(_container_tail, member.container)
                ctx.stop_drill = functools.cache(functools.partial(drill_container, member.container,
                                                                   self.config.stop_grace_s))
            if ctx.startup is None and member.startup is not None:
                ctx.target, ctx.startup = member.target, member.startup
                if member.startup.healthy:   # its own /ping and accept timings; no /invocations
                    ctx._probes = Probes(member.target, None, self.config.content_type, self.config.accept,
                                         self.progress, self.config)
                    ctx._probes.log_tail = ctx.logs
            found.append((f"{member.hostname} ({member.image})", ctx))
        return found


class MmeDriver(ServeDriver):
    """--mode mme: the serving launch with SAGEMAKER_MULTI_MODEL=true and the models mounted
    under /opt/ml/models (mme/launch.py); the checks read one /models drill (ctx.mme) and
    one memory drill (ctx.mme_memory)."""
    starting = "starting the multi-model container (`serve`, SAGEMAKER_MULTI_MODEL=true)"

    def prepare(self, environment: dict) -> None:
        from ..modes.mme.drill import run_drill
        from ..modes.mme.launch import mount_models
        from ..modes.mme.memory import memory_drill
        models, volumes = mount_models(self.client, self.config, self.session)
        self.launched = launch(self.client, self.config, self.session, volumes=volumes)
        self._share_launch(environment)
        environment["models"] = {m.name: m.model_id for m in models}
        ctx, config = self.ctx, self.config
        ctx.mme = functools.cache(lambda: run_drill(
            ctx.target.base_url, [(m.name, m.model_id) for m in models], self.payload,
            config.content_type, config.accept, self.progress))
        ctx.mme_memory = functools.cache(lambda: memory_drill(
            self.client, config, self.session, self.launched, models[0], self.progress))


class TrainDriver(ServeDriver):
    starting = "running the training job (`train`)"

    def prepare(self, environment: dict) -> None:
        # A created, never started container lets the static checks look into the image.
        self.ctx.container = self.client.containers.create(
            self.config.image, command=["train"], labels=self.session.labels,
            name=f"smc-{self.session.run_id}-inspect", network_mode="none")
        self.session.on_close(self.ctx.container.remove, v=True, force=True)
        self.ctx.training = TrainingProbes(self.client, self.session, self.config, self.progress)
        self.ctx.stop_drill = self.ctx.training.stop
        self.ctx.log_tail = lambda: _tail(self.ctx.training.main().hosts[0].logs)

    def start(self, environment: dict) -> None:
        job = self.ctx.training.main()
        environment["job_elapsed_s"] = round(job.elapsed_s, 3)
        environment["hosts"] = [h.host for h in job.hosts]
        environment["hyperparameters"] = job.hyperparameters   # as hyperparameters.json held them
        environment["model_artifact"] = self.ctx.training.model_archive()


def _container_tail(container, lines: int = 40, max_bytes: int = 64 * 1024) -> str:
    try:
        return container.logs(tail=lines)[-max_bytes:].decode(errors="replace")
    except docker.errors.DockerException:   # gone already: logs are best effort
        return ""


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


DRIVERS = {Mode.SERVE: ServeDriver, Mode.TRAIN: TrainDriver, Mode.SERVERLESS: ServeDriver,
           Mode.ASYNC: ServeDriver, Mode.BATCH: ServeDriver, Mode.MME: MmeDriver}


def driver_for(config: RunConfig) -> type:
    """A --target is served by the target driver; otherwise one driver per mode."""
    if config.target:
        return TargetDriver
    return PipelineDriver if config.pipeline else DRIVERS[Mode(config.mode)]
