"""image.manifest: SageMaker takes an image whose registry manifest has Docker's media
types (application/vnd.docker.distribution.manifest.v2+json); CreateModel refuses OCI
media types ("Unsupported manifest media type application/vnd.oci.image.manifest.v1+json"
or "...oci.image.index.v1+json"), which buildx writes by default when it pushes, with a
provenance attestation in an index. Read from --image-layout, the image as it is pushed."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...features.manifest.reader import read_layout
from ...model import Outcome, Phase, Severity, passed, skipped, violation
from ...registry import registered_modes

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


@check(id="image.manifest", title="The manifest has the media types SageMaker accepts (not OCI)",
       severity=Severity.MUST, phase=Phase.STATIC, modes=registered_modes(), option="image_layout",
       needs_healthy=False, remote=True,
       source="https://github.com/aws/amazon-sagemaker-feedback/issues/180 (CreateModel: \"Unsupported "
              "manifest media type application/vnd.oci.image.manifest.v1+json\"), "
              "https://github.com/mlflow/mlflow/issues/13834 (the same for application/vnd.oci.image.index.v1+json, "
              "from buildx' provenance attestation)",
       remediation="Push Docker media types: docker buildx build --provenance=false --output type=docker "
                   "(then docker push), or --output type=image,oci-mediatypes=false,push=true; skopeo copy "
                   "--format v2s2 converts an image that is already built.")
def manifest(ctx: CheckContext) -> Outcome:
    path = ctx.config.image_layout
    layout = read_layout(path)
    details = {"layout": str(path), "shape": layout.shape,
               "media_types": [{"where": w, "media_type": m} for w, m in layout.media_types],
               "attestation_manifests": layout.attestations}
    if layout.shape == "docker-archive":
        return skipped(f"{path} is a `docker save` archive: it records no manifest media type, so what the "
                       f"registry gets depends on how it is pushed; give the OCI layout of the build "
                       f"(--output type=oci) or `skopeo copy docker://IMAGE dir:DIR` of the pushed image")
    oci = [(w, m) for w, m in layout.media_types if "vnd.oci." in m]
    if oci:
        where, media = oci[0]
        extra = (f"; {layout.attestations} attestation manifest(s) (buildx provenance) make it an index"
                 if layout.attestations else "")
        return violation(f"{len(oci)} OCI media type(s) in {path}, first {media} ({where}): SageMaker's "
                         f"CreateModel refuses it (\"Unsupported manifest media type\"){extra}",
                         measured=media, limit=DOCKER_MANIFEST, details=details)
    types = sorted({m for _, m in layout.media_types})
    if types == [DOCKER_MANIFEST]:
        return passed(f"{path}: {DOCKER_MANIFEST}", measured=DOCKER_MANIFEST, limit=DOCKER_MANIFEST, details=details)
    return skipped(f"{path} holds {', '.join(types) or 'no manifest'}: not OCI, but whether SageMaker takes "
                   f"it is not documented (UNCONFIRMED); a single {DOCKER_MANIFEST} is what it takes")
