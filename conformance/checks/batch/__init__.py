"""batch.*: a transform job run against the image (--mode batch)."""

from ...model import Mode

BATCH = (Mode.BATCH,)
SOURCE = "contract.md {} (BATCH; API-SM CreateTransformJobRequest, ModelClientConfig)"
