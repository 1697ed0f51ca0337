"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option

OPTIONS = (
    option("memory-size", "int", "serverless MemorySizeInMB: 1024, 2048, 3072, 4096, 5120 or 6144, "
           "a hard memory limit with vCPUs in proportion", "serverless.memory"),
)
