"""--target: an endpoint the tool did not start."""
from __future__ import annotations

import time

from ...engine.driver import ServeDriver
from ...engine.launcher import target_of
from ...engine.readiness import wait_healthy
from ...errors import TargetUnreachable


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
