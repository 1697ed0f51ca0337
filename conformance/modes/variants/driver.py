"""--variant: the baseline (IMAGE) is started as a serving container (ServeDriver); every
other variant starts beside it on the same network, with its own image, model and
environment, and every serving check is judged on every variant (ctx.judge_each). The
variants are shared with the comparison checks as ctx.mode_state["variants"]."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ...engine import launcher
from ...engine.beside import Member, SideBySideDriver
from ...engine.opt_ml import model_mount, prepare_model_dir


@dataclass
class Running(Member):
    """One production variant as started here: its share of the traffic, shadow or not."""
    weight: float = 1.0
    shadow: bool = False


class VariantsDriver(SideBySideDriver):
    starting = "starting the production variants (`serve`, side by side)"

    def prepare(self, environment: dict) -> None:
        super().prepare(environment)
        settings, launched = self.config.mode_settings, self.launched
        shares = settings.weights()
        self.members = [Running("baseline", launched.container, self.config.image, self.config,
                                weight=shares["baseline"])]
        for variant in settings.candidates:
            config = dataclasses.replace(self.config, image=variant.image, model=variant.model or self.config.model,
                                         env={**self.config.env, **dict(variant.env)})
            volumes = launched.volumes if variant.model is None else model_mount(
                self.client, self.session, variant.image, prepare_model_dir(variant.model, self.session),
                name=f"model-{variant.name}")
            container = launcher.create_serving_container(
                self.client, config, self.session, launched.network_name, volumes, launched.limits,
                launched.connection, role=variant.name, image=variant.image, env=dict(variant.env))
            self.members.append(Running(variant.name, container, variant.image, config,
                                        weight=shares[variant.name], shadow=settings.shadow))
        self.ctx.mode_state["variants"] = self.members
        self.ctx.judge_each = True
        self.share_members()
        environment["variants"] = [f"{v.label}: weight share {v.weight:.0%}" + (" (shadow)" if v.shadow else "")
                                   for v in self.members]
