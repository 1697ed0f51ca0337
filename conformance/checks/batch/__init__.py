"""batch.*: a transform job run against the image (--mode batch)."""
