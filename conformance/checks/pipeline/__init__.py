"""pipeline.*: an inference pipeline or multi-container endpoint (--pipeline)."""

from ...model import Mode

ORDER = 120   # registry.load: areas load (and so run within a phase) by ORDER, then name

PIPELINE = (Mode.PIPELINE,)
