"""--pipeline IMAGE...: 2-15 serving containers as one model; chosen by --pipeline, not --mode."""
from ...errors import UsageError
from ...registry import ModeSpec, mode
from .driver import PipelineDriver
from .settings import PipelineSettings
from .options import OPTIONS


def build(values) -> PipelineSettings:
    if values["mode"] != "serve" or values["target"]:
        raise UsageError("--pipeline applies to --mode serve and starts its images itself",
                         "serverless does not support pipelines (contract.md serverless.exclusions)")
    return PipelineSettings(others=tuple(values["pipeline"]), execution=values["pipeline-mode"])


mode(ModeSpec("pipeline", "inference pipeline", build, lambda config: PipelineDriver,
              choosable=False,
              chosen_by=lambda values: bool(values["pipeline"]), order=70, declares=OPTIONS))

from . import report  # noqa: F401  (its report section registers)
