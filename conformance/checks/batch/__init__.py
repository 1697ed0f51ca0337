"""batch.*: a transform job run against the image (--mode batch)."""

from ...model import Mode

ORDER = 110   # registry.load: areas load (and so run within a phase) by ORDER, then name

BATCH = (Mode.BATCH,)
SOURCE = "contract.md {} (BATCH; API-SM CreateTransformJobRequest, ModelClientConfig)"
