"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option

OPTIONS = (
    option("mme-memory", "text", "--mode mme: the memory limit of the memory drill's own container, "
           "e.g. 512m (it loads models until the server answers 507 or dies)", "mme.load",
           group="mme", default="1g"),
)
