"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option
from .settings import ComponentSettings

DEFAULTS = ComponentSettings()

OPTIONS = (
    option("copies", "int", "--mode inference-component: RuntimeConfig.CopyCount, copies of the "
           "container side by side on the instance", "API-SM CreateInferenceComponent", default=DEFAULTS.copies),
    option("cpu-cores", "float", "--mode inference-component: NumberOfCpuCoresRequired per copy",
           "API-SM InferenceComponentComputeResourceRequirements", default=DEFAULTS.cpu_cores),
    option("min-memory-mb", "int", "--mode inference-component: MinMemoryRequiredInMb per copy "
           "(the copy's memory limit unless --max-memory-mb is given)", "API-SM InferenceComponentComputeResourceRequirements",
           default=DEFAULTS.min_memory_mb),
    option("max-memory-mb", "int", "--mode inference-component: MaxMemoryRequiredInMb per copy "
           "(then the copy's memory limit)", "API-SM InferenceComponentComputeResourceRequirements"),
)
