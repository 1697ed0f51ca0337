"""Mounting a multi-model endpoint's models as the platform does (the variable
SAGEMAKER_MULTI_MODEL comes with RunConfig.container_env): each model unpacked and
mounted read-only at /opt/ml/models/<opaque id>/model (mme.models-dir, MME-API)."""
from __future__ import annotations

from dataclasses import dataclass

import docker

from ...config import RunConfig
from ...engine.opt_ml import model_mount, prepare_model_dir
from ...engine.session import RunSession
from .api import model_url

@dataclass(frozen=True)
class MountedModel:
    name: str          # the user's NAME (TargetModel)
    model_id: str      # the opaque id it is mounted and loaded under
    source: str        # the host folder or volume the engine mounts


def mount_models(client: docker.DockerClient, config: RunConfig,
                 session: RunSession) -> tuple[list, dict]:
    """(models, volumes) for every --model NAME=PATH of the run."""
    models, volumes = [], {}
    for index, (name, path) in enumerate(config.mode_settings.models, 1):
        model_id = config.mode_settings.model_id(session.run_id, name)
        source = prepare_model_dir(path, session)
        while source in volumes:   # one folder under two names: a bind of its own for each
            source += "/."         # (the engine mounts the same folder; the key differs)
        volume = model_mount(client, session, config.image, source,
                             at=model_url(model_id), name=f"model-{index}")
        models.append(MountedModel(name, model_id, next(iter(volume))))
        volumes.update(volume)
    return models, volumes
