"""image.manifest from the image as it would be pushed (--image-layout), each shape written
by a real tool from a sample image: skopeo's OCI layout (a folder, and its tar) carries the
OCI media types SageMaker's CreateModel refuses; skopeo's `dir:` with --format v2s2 carries
Docker's, which it takes; a `docker save` archive records none, so the check says it cannot
tell instead of passing."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conformance.model import Status
from conftest import PAYLOAD, ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def layouts(sample_images, tmp_path_factory):
    if shutil.which("skopeo") is None:
        pytest.fail("skopeo is not installed: scripts/setup.sh installs it (apt-get install skopeo)")
    image, folder = sample_images["good-minimal"], tmp_path_factory.mktemp("layouts")
    source = f"docker-daemon:{image}" if ":" in image else f"docker-daemon:{image}:latest"

    def copy(*args: str) -> None:
        subprocess.run(["skopeo", "copy", "-q", *args], check=True, timeout=300, capture_output=True)

    copy(source, f"oci:{folder / 'oci'}:latest")
    copy(source, f"oci-archive:{folder / 'oci.tar'}:latest")
    copy("--format", "v2s2", source, f"dir:{folder / 'v2s2'}")
    subprocess.run(["docker", "save", "-o", str(folder / "saved.tar"), image], check=True, timeout=300)
    return folder


@pytest.mark.parametrize("shape, expected, says", [
    ("oci", Status.FAIL, "application/vnd.oci.image.manifest.v1+json"),
    ("oci.tar", Status.FAIL, "Unsupported manifest media type"),
    ("v2s2", Status.PASS, "application/vnd.docker.distribution.manifest.v2+json"),
    ("saved.tar", Status.SKIP, "records no manifest media type"),
])
def test_the_manifest_media_types_are_judged_as_sagemaker_does(sample_images, layouts, shape, expected, says):
    report = check_image(sample_images["good-minimal"], image_layout=layouts / shape, only=("image.manifest",))
    result = by_id(report)["image.manifest"]
    assert result.status is expected and says in result.message, result.message
    if expected is Status.FAIL:
        assert report.verdict == "fail" and "--provenance=false" in result.remediation
        assert result.details["shape"] == "oci-layout"
    print(f"image.manifest ({shape}): {result.status.value}: {result.message}")


def test_without_a_layout_the_check_does_not_run_and_a_missing_one_is_a_usage_error(sample_images, tmp_path):
    report = check_image(sample_images["good-minimal"], only=("inference.startup",))
    assert "image.manifest" not in by_id(report)
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-minimal"],
                           "--payload", str(PAYLOAD), "--image-layout", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "--image-layout not found" in done.stdout, done.stdout
