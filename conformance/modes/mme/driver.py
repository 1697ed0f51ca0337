"""--mode mme: the serving launch with the models mounted (launch.py) and the two drills."""
from __future__ import annotations

import functools

from ...engine.driver import ServeDriver
from ...engine.endpoint import launch
from .drill import run_drill
from .launch import mount_models
from .memory import memory_drill


class MmeDriver(ServeDriver):
    """--mode mme: the serving launch with SAGEMAKER_MULTI_MODEL=true and the models mounted
    under /opt/ml/models (launch.py); the checks read one /models drill (ctx.mme) and
    one memory drill (ctx.mme_memory)."""
    starting = "starting the multi-model container (`serve`, SAGEMAKER_MULTI_MODEL=true)"

    def prepare(self, environment: dict) -> None:
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
