"""--pipeline: every container of the model, side by side (run.py)."""
from __future__ import annotations

import functools

from ...engine.context import CheckContext
from ...engine.driver import ServeDriver, container_tail, containers_tail
from ...engine.lifecycle import drill_container
from ...engine.probes import Probes
from .run import create_pipeline, start_pipeline


class PipelineDriver(ServeDriver):
    """--pipeline: every container of the model, side by side (run.py)."""
    starting = "starting the pipeline's containers (`serve`, each on its SAGEMAKER_BIND_TO_PORT)"

    def prepare(self, environment: dict) -> None:
        self.ctx.pipeline = run = create_pipeline(self.client, self.config, self.session)
        self.ctx.container = run.members[0].container
        self._contexts: dict = {}
        self.ctx.containers = self._member_contexts
        self.ctx.log_tail = lambda: containers_tail([(f"{m.hostname} ({m.image})", m.container)
                                                     for m in run.members])
        environment.update(connection=run.connection, pipeline=[f"{m.hostname}: {m.image} on port {m.port}"
                                                                for m in run.members])

    def start(self, environment: dict) -> None:
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
                ctx.log_tail = functools.partial(container_tail, member.container)
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
