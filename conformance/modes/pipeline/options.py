"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option

OPTIONS = (
    option("pipeline", "list", "another container of an inference pipeline, after IMAGE (repeat, or "
           "comma-separated: 2-15 containers in all)", "pipeline.size", group="pipeline", default=()),
    option("pipeline-mode", "text", "serial (each response goes to the next container) or direct "
           "(each container invoked alone)", "pipeline.mode", group="pipeline", default="serial",
           choices=("serial", "direct")),
)
