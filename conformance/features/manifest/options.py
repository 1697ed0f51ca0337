"""The option of image.manifest, declared where the feature lives."""
from pathlib import Path
from typing import Any, Mapping, Optional

from ...option_spec import option

OPTIONS = (
    option("image-layout", "path", "the image as it will be pushed, for image.manifest: an OCI layout folder or "
           "tar (docker buildx build --output type=oci,dest=...; skopeo copy ... oci:DIR) or a skopeo dir: folder",
           "image.manifest", group="run"),
)


def build(v: Mapping[str, Any], derandomize: bool = False) -> Optional[Path]:
    return Path(v["image-layout"]) if v["image-layout"] else None
