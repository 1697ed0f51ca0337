"""--mode inference-component: copy 1 is started as a serving container (ServeDriver) and
judged by every serving check; copies 2..N start beside it on the same network, each in
its own slice, and every check that each hosted container must pass (each_container) is
judged on every copy. The copies' starts and states are shared as ctx.mode_state."""
from __future__ import annotations

from ...engine import launcher
from ...engine.beside import Member, SideBySideDriver


class ComponentDriver(SideBySideDriver):
    starting = "starting the copies (`serve`, each in its slice)"

    def prepare(self, environment: dict) -> None:
        super().prepare(environment)
        launched, settings = self.launched, self.config.mode_settings
        self.members = [Member("copy-1", launched.container)] + [
            Member(f"copy-{i}", launcher.create_serving_container(
                self.client, self.config, self.session, launched.network_name, launched.volumes,
                launched.limits, launched.connection, role=f"copy-{i}"))
            for i in range(2, settings.copies + 1)]
        self.ctx.mode_state["copies"] = self.members
        self.share_members()
        environment["copies"] = [f"{c.name}: {settings.cpu_cores:g} cores, {settings.slice_mb} MB"
                                 for c in self.members]
