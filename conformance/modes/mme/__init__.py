"""--mode mme: a multi-model endpoint (the /models API, SAGEMAKER_MULTI_MODEL=true)."""
from pathlib import Path

from ...config import parse_memory
from ...registry import ModeSpec, mode
from .driver import MmeDriver
from .settings import MmeSettings
from .options import OPTIONS


def build(values) -> MmeSettings:
    return MmeSettings(models=tuple((name, Path(path)) for name, path in values["model"] or ()),
                       drill_memory=parse_memory(values["mme-memory"]))


mode(ModeSpec("mme", "multi-model endpoint", build, lambda config: MmeDriver, order=60, declares=OPTIONS))

from . import report  # noqa: F401  (its report section registers)
