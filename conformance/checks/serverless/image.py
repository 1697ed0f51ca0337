"""serverless.image: the image is at most 10 GB. Source: contract.md serverless.image
(SLS; whether the limit counts the compressed or the unpacked size is UNCONFIRMED: the
tool measures the unpacked size Docker reports, the larger of the two)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...contract import SERVERLESS_IMAGE_BYTES as IMAGE_LIMIT_BYTES
from ...model import Mode, Outcome, Phase, Severity, undecided, within

GIB = 1024 ** 3


@check(id="serverless.image", title="The image is at most 10 GB", severity=Severity.MUST,
       phase=Phase.STATIC, modes=(Mode.SERVERLESS,),
       source="contract.md serverless.image (SLS: container image size <= 10 GB; unpacked size measured)",
       remediation="Use a slim base, a multi-stage build, and keep model weights out of the "
                   "image (they belong in the model artefact).")
def image_size(ctx: CheckContext) -> Outcome:
    size = ctx.image_attrs.get("Size")
    if not isinstance(size, int):
        return undecided("Docker did not report the image's size")
    return within(round(size / GIB, 3), round(IMAGE_LIMIT_BYTES / GIB, 3), "GiB",
                  f"{size / GIB:.3f} GiB unpacked (limit {IMAGE_LIMIT_BYTES / GIB:g} GiB)",
                  {"size_bytes": size})
