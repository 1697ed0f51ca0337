"""Containers that serve beside the run's own one (the copies of an inference component,
the production variants of an endpoint): each started with the run's, waited for on its
own, and given a CheckContext of its own, so that the checks the mode judges on every
container (ctx.containers) see its image, process, start-up and probes. A mode's driver
subclasses SideBySideDriver and fills `members` in `prepare`."""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Optional

from . import launcher
from .context import CheckContext
from .driver import ServeDriver, container_tail, containers_tail
from .lifecycle import drill_container
from .probes import Probes
from .readiness import StartupResult, labelled, wait_healthy, wait_in_background


@dataclass
class Member:
    """One container of the run; the first member is the run's own (ServeDriver's)."""
    name: str
    container: object
    image: str = ""
    config: object = None                # its RunConfig (image, model, env), else the run's
    target: Optional[launcher.Target] = None
    startup: Optional[StartupResult] = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.image})" if self.image else self.name


class SideBySideDriver(ServeDriver):
    members: list

    def start(self, environment: dict) -> None:
        began = time.monotonic()
        for member in self.members[1:]:   # all at once, as the platform places them
            error = launcher.start(member.container)
            if error:
                member.startup = StartupResult("start-failed", 0.0, start_error=error)
        joins = {member.name: self._wait_beside(member, began) for member in self.members[1:]
                 if member.startup is None}
        super().start(environment)   # the run's own container, while the others are waited for
        first = self.members[0]
        first.target, first.startup = self.ctx.target, self.ctx.startup
        for member in self.members[1:]:
            if member.name in joins:
                member.startup = joins[member.name](self.config.startup_wait_s)

    def _wait_beside(self, member: Member, began: float):
        """The wait for one member's first healthy /ping, in the background."""
        def wait() -> StartupResult:
            member.target = launcher.locate(member.container, self.launched.network_name, self.launched.connection)
            if member.target is None:
                state = member.container.attrs.get("State", {})
                return StartupResult("exited", time.monotonic() - began, exit_code=state.get("ExitCode"))
            told = labelled(self.progress, member.label)
            told("waiting for /ping")
            return wait_healthy(member.target, began, self.config.startup_wait_s, told, self.config.settle_time_s)
        return wait_in_background(wait, member.name)

    def share_members(self) -> None:
        """Hand the members to the checks: ctx.containers, and one log of them all."""
        self._contexts: dict = {}
        self.ctx.containers = self.member_contexts
        self.ctx.log_tail = lambda: containers_tail([(m.label, m.container) for m in self.members])

    def member_contexts(self) -> list:
        """(label, CheckContext) per member; the first is the run's own context."""
        found = [(self.members[0].label, self.ctx)]
        for member in self.members[1:]:
            config = member.config or self.config
            ctx = self._contexts.get(member.name)
            if ctx is None:
                ctx = self._contexts[member.name] = CheckContext(
                    config, self.ctx.images.get(member.image, self.ctx.image_attrs) if member.image else self.ctx.image_attrs,
                    self.ctx.limits, container=member.container, selected=self.ctx.selected, images=self.ctx.images)
                ctx.log_tail = functools.partial(container_tail, member.container)
                ctx.stop_drill = functools.cache(functools.partial(drill_container, member.container,
                                                                   self.config.stop_grace_s))
            if ctx.startup is None and member.startup is not None:
                ctx.target, ctx.startup = member.target, member.startup
                if member.startup.healthy:
                    ctx._probes = Probes(member.target, self.payload if ctx.has_payload else None,
                                         self.config.content_type, self.config.accept, self.progress, config)
                    ctx._probes.log_tail = ctx.logs
            found.append((member.label, ctx))
        return found
