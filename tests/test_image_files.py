"""Rules read from what the image carries and what it answers with: NVIDIA driver files
(image.gpu.no-drivers) and the Custom-Attributes header of its answers
(inference.headers.custom-attributes), each judged through real containers."""
from __future__ import annotations

from conformance.engine.probes import PLATFORM_HEADERS
from conformance.model import Status
from helpers import by_id, check_image

SENT = PLATFORM_HEADERS["X-Amzn-SageMaker-Custom-Attributes"]


def test_a_cuda_toolkit_layout_passes_and_bundled_driver_files_are_named(sample_images):
    """The toolkit's link stub and a cuda-compat copy are allowed; the driver's sonames and
    nvidia-smi are found, each once although /lib links to /usr/lib, with the file they name.
    A run of this check alone still creates (without starting) a container to read files."""
    good = by_id(check_image(sample_images["good-cuda-layout"], only=("image.gpu",)))["image.gpu.no-drivers"]
    assert good.status is Status.PASS and good.measured == 0, good.message
    broken = by_id(check_image(sample_images["broken-image.gpu.no-drivers"], only=("image.gpu",)))
    result = broken["image.gpu.no-drivers"]
    assert result.status is Status.WARN and result.measured == 3
    assert result.details["files"] == [
        "/usr/lib/x86_64-linux-gnu/libcuda.so.1 -> /usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05",
        "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1 -> /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.535.104.05",
        "/usr/bin/nvidia-smi"]
    assert "compat" not in result.message and "stubs" not in result.message


def test_custom_attributes_echoed_or_not_set_pass_and_a_long_answer_warns(sample_images):
    only = ("inference.headers",)
    echoed = by_id(check_image(sample_images["good-minimal"], only=only))["inference.headers.custom-attributes"]
    assert echoed.status is Status.PASS and echoed.measured == len(SENT)
    assert "echoed" in echoed.message
    unset = by_id(check_image(sample_images["good-serving"], only=only))["inference.headers.custom-attributes"]
    assert unset.status is Status.PASS and unset.measured == "not set"
    long = by_id(check_image(sample_images["broken-inference.headers.custom-attributes"], only=only))
    result = long["inference.headers.custom-attributes"]
    assert result.status is Status.WARN
    assert (result.measured, result.limit) == (len(SENT) + 1100, 1024)
    assert long["inference.headers"].status is Status.PASS, "the answer itself is fine: only its header is not"
