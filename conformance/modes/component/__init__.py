"""--mode inference-component: copies of one model container side by side, each in the
compute slice of ComputeResourceRequirements (CreateInferenceComponent)."""
from ...registry import ModeSpec, mode
from .driver import ComponentDriver
from .options import OPTIONS
from .settings import ComponentSettings


def build(values) -> ComponentSettings:
    return ComponentSettings(copies=values["copies"], cpu_cores=values["cpu-cores"],
                             min_memory_mb=values["min-memory-mb"], max_memory_mb=values["max-memory-mb"])


mode(ModeSpec("inference-component", "inference component copies", build, lambda config: ComponentDriver,
              base="serve", order=65, declares=OPTIONS))

from . import report  # noqa: F401  (its report section registers)
