"""What --mode mme asks for: the models to load (NAME=PATH, as TargetModel names them) and
the memory limit of the memory drill's container (contract.md §6, MME-API)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ...config import ModeSettings
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig

MODELS_ROOT = "/opt/ml/models"   # contract.md mme.models-dir (MME-API, TRITON, IT environment.py)
# TargetModel of InvokeEndpoint: 1-1024 characters, \A\S[\p{Print}]*\z (API-RT).
TARGET_MODEL = re.compile(r"^\S[\x20-\x7e]{0,1023}$")
MIN_DRILL_MEMORY = 128 * 1024 ** 2
MME_ENV = {"SAGEMAKER_MULTI_MODEL": "true"}   # contract.md mme.env (MME-BUILD, IT model_server.py)


@dataclass(frozen=True)
class MmeSettings(ModeSettings):
    mode: ClassVar[str] = "mme"
    takes_target: ClassVar[bool] = False
    invokes: ClassVar[bool] = False   # invoked through /models/<name>/invoke, not /invocations
    reads_models: ClassVar[bool] = True
    models: tuple = ()       # ((name, Path), ...) in the order given
    drill_memory: int = 1024 ** 3   # bytes: the memory drill's container limit

    def environment(self) -> dict:
        return dict(MME_ENV)

    def validate(self, config: "RunConfig") -> None:
        validate_mme(self, config)

    def model_id(self, run_id: str, name: str) -> str:
        """The opaque id the platform loads a model under: never the user's name
        (contract.md mme.models-dir: a hash in practice)."""
        return hashlib.sha256(f"{run_id}:{name}".encode()).hexdigest()[:32]


def validate_mme(settings: MmeSettings, config: "RunConfig") -> None:
    """A multi-model endpoint needs named models that exist, and takes none of the options
    that send to /invocations or start something else."""
    _validate_models(settings.models)
    for given, name in ((config.load, "--load"), (config.fuzz, "--fuzz"), (config.stream or None, "--stream"),
                        (config.target, "--target")):
        if given is not None:
            raise UsageError(f"{name} does not apply to --mode mme",
                             "a multi-model endpoint is invoked through /models/<name>/invoke, "
                             "which the mme.* checks drive themselves")
    if settings.drill_memory < MIN_DRILL_MEMORY:
        raise UsageError(f"--mme-memory must be at least {MIN_DRILL_MEMORY // 1024 ** 2} MiB",
                         "e.g. 512m or 1g")


def _validate_models(models: tuple) -> None:
    if not models:
        raise UsageError("--mode mme needs at least one --model NAME=PATH",
                         "NAME is what TargetModel would say (e.g. model-a.tar.gz); PATH a folder or a model.tar.gz")
    seen = set()
    for name, path in models:
        if not name:
            raise UsageError(f"--model {path}: a multi-model endpoint names each model",
                             "give --model NAME=PATH, NAME as TargetModel would say it")
        if not TARGET_MODEL.match(name):
            raise UsageError(f"model name {name!r} is not a valid TargetModel",
                             "1-1024 printable characters, not starting with a space (API-RT InvokeEndpoint)")
        if name in seen:
            raise UsageError(f"model name {name!r} is given twice", "give each --model a name of its own")
        seen.add(name)
        if not Path(path).exists():
            raise UsageError(f"model {name}: not found: {path}", "give a directory or a model.tar.gz")
        if not (Path(path).is_dir() or Path(path).is_file()):
            raise UsageError(f"model {name}: {path} is neither a directory nor a regular file")
