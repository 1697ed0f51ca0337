"""pipeline.*: an inference pipeline or multi-container endpoint (--pipeline)."""

from ...model import Mode

PIPELINE = (Mode.PIPELINE,)
