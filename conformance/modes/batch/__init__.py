"""--mode batch: a serving container run as a batch transform job runs it."""
from pathlib import Path

from ...engine.driver import ServeDriver
from ...errors import UsageError
from ...registry import ModeSpec, mode
from . import job  # noqa: F401  (registers its measurement)
from .settings import BatchSettings
from .options import OPTIONS


def build(values) -> BatchSettings:
    if not values["input"]:
        raise UsageError("--mode batch needs --input DIR", "the folder of the job's input files")
    return BatchSettings(input=Path(values["input"]), output=Path(values["output"]),
                         split_type=values["split-type"], assemble_with=values["assemble-with"],
                         strategy=values["batch-strategy"], max_payload_mb=values["max-payload-mb"],
                         max_concurrent=values["max-concurrent"], timeout_s=values["invocations-timeout"],
                         retries=values["invocations-max-retries"])


mode(ModeSpec("batch", "batch transform", build, lambda config: ServeDriver, base="serve",
              order=50, declares=OPTIONS))

