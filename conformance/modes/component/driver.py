"""--mode inference-component: copy 1 is started as a serving container (ServeDriver) and
judged by every serving check; copies 2..N start beside it on the same network, each in
its own slice, and every check that each hosted container must pass (each_container) is
judged on every copy. The copies' starts and states are shared as ctx.mode_state."""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Optional

from ...engine import launcher
from ...engine.context import CheckContext
from ...engine.driver import ServeDriver, container_tail
from ...engine.lifecycle import drill_container
from ...engine.probes import Probes
from ...engine.readiness import StartupResult, wait_healthy


@dataclass
class Copy:
    name: str
    container: object
    target: Optional[launcher.Target] = None
    startup: Optional[StartupResult] = None


class ComponentDriver(ServeDriver):
    starting = "starting the copies (`serve`, each in its slice)"

    def prepare(self, environment: dict) -> None:
        super().prepare(environment)
        launched, settings = self.launched, self.config.mode_settings
        self.copies = [Copy("copy-1", launched.container)] + [
            Copy(f"copy-{i}", launcher.create_serving_container(
                self.client, self.config, self.session, launched.network_name, launched.volumes,
                launched.limits, launched.connection, role=f"copy-{i}"))
            for i in range(2, settings.copies + 1)]
        self.ctx.mode_state["copies"] = self.copies
        self.ctx.containers = self._copy_contexts
        self._contexts: dict = {}
        self.ctx.log_tail = lambda: "\n".join(f"--- {c.name}\n" + container_tail(c.container, 15) for c in self.copies)
        environment["copies"] = [f"{c.name}: {settings.cpu_cores:g} cores, {settings.slice_mb} MB"
                                 for c in self.copies]

    def start(self, environment: dict) -> None:
        began = time.monotonic()
        for copy in self.copies[1:]:   # all at once, as the platform places them
            error = launcher.start(copy.container)
            if error:
                copy.startup = StartupResult("start-failed", 0.0, start_error=error)
        super().start(environment)
        first = self.copies[0]
        first.target, first.startup = self.ctx.target, self.ctx.startup
        for copy in self.copies[1:]:
            if copy.startup is not None:
                continue
            copy.target = launcher.locate(copy.container, self.launched.network_name, self.launched.connection)
            if copy.target is None:
                state = copy.container.attrs.get("State", {})
                copy.startup = StartupResult("exited", time.monotonic() - began, exit_code=state.get("ExitCode"))
                continue
            self.progress(f"{copy.name}: waiting for /ping")
            copy.startup = wait_healthy(copy.target, began, self.config.startup_wait_s, self.progress,
                                        self.config.settle_time_s)

    def _copy_contexts(self) -> list:
        """(name, CheckContext) per copy; copy 1 is the run's own context."""
        found = [(self.copies[0].name, self.ctx)]
        for copy in self.copies[1:]:
            ctx = self._contexts.get(copy.name)
            if ctx is None:
                ctx = self._contexts[copy.name] = CheckContext(
                    self.config, self.ctx.image_attrs, self.ctx.limits, container=copy.container,
                    selected=self.ctx.selected, images=self.ctx.images)
                ctx.log_tail = functools.partial(container_tail, copy.container)
                ctx.stop_drill = functools.cache(functools.partial(drill_container, copy.container,
                                                                   self.config.stop_grace_s))
            if ctx.startup is None and copy.startup is not None:
                ctx.target, ctx.startup = copy.target, copy.startup
                if copy.startup.healthy:
                    ctx._probes = Probes(copy.target, self.payload if ctx.has_payload else None,
                                         self.config.content_type, self.config.accept, self.progress, self.config)
                    ctx._probes.log_tail = ctx.logs
            found.append((copy.name, ctx))
        return found
