"""pipeline.*: an inference pipeline or multi-container endpoint (--pipeline)."""
