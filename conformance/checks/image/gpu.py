"""image.gpu.no-drivers: a GPU image carries the CUDA toolkit, never the NVIDIA driver's
user-space files; the instance's driver is mounted in by the NVIDIA container runtime,
and a bundled copy of another version shadows it ("driver/library version mismatch",
"CUDA driver version is insufficient"). Source: contract.md image.gpu.no-drivers and
training.gpu (TRAIN-RUN: nvidia-docker compatible, CUDA toolkit only, no drivers)."""
from __future__ import annotations

import posixpath
from typing import Optional

from docker.errors import APIError, NotFound
from docker.utils import decode_json_header

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, violation

# Where a driver's files land when a distribution package or the .run installer puts them
# in the image (and where the NVIDIA runtime mounts its own): the library folders of the
# Debian/Ubuntu multiarch and RHEL layouts, and the nvidia-docker 1 folder.
LIBRARY_DIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/local/nvidia/lib64",
                "/usr/local/nvidia/lib")
# The sonames the driver installs (the runtime mounts these from the host); the CUDA
# toolkit has only the link-time stub lib64/stubs/libcuda.so and, in cuda-compat, a
# forward-compatibility copy under /usr/local/cuda*/compat that the platform's AMIs
# choose whether to use: neither is judged here.
DRIVER_LIBRARIES = ("libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1")
DRIVER_PROGRAMS = ("/usr/bin/nvidia-smi", "/usr/local/nvidia/bin/nvidia-smi")


@check(needs=("files",), id="image.gpu.no-drivers", title="No NVIDIA driver files are bundled in the image",
       severity=Severity.SHOULD, phase=Phase.STATIC,
       modes=(Mode.SERVE, Mode.TRAIN, Mode.MME, Mode.PIPELINE), each_container=True,
       source="contract.md image.gpu.no-drivers and training.gpu (TRAIN-RUN: GPU images must be "
              "nvidia-docker compatible, with the CUDA toolkit only and no NVIDIA drivers; the driver comes from "
              "the instance, API-SM ProductionVariant InferenceAmiVersion)",
       remediation="Remove the NVIDIA driver packages (libnvidia-compute-*, nvidia-utils-*, or the .run "
                   "installer) from the image; keep the CUDA toolkit and, if you need it, cuda-compat.")
def no_bundled_drivers(ctx: CheckContext) -> Outcome:
    candidates = [posixpath.join(d, name) for d in LIBRARY_DIRS for name in DRIVER_LIBRARIES]
    files: dict = {}   # the file itself -> the first name it was found by (/lib may link to /usr/lib)
    for path in candidates + list(DRIVER_PROGRAMS):
        target = _resolve(ctx, path)
        if target is not None:
            files.setdefault(target, path)
    found = [f"{path} -> {target}" if target != path else path for target, path in files.items()]
    looked = len(candidates) + len(DRIVER_PROGRAMS)
    if found:
        return violation(f"the image bundles NVIDIA driver files: {'; '.join(found[:4])}"
                         f"{' …' if len(found) > 4 else ''}; on a GPU instance they shadow the driver the "
                         f"platform mounts", measured=len(found), limit=0, unit="files",
                         details={"files": found})
    return passed(f"no NVIDIA driver files in the image ({looked} paths looked up)",
                  measured=0, limit=0, unit="files")


def _resolve(ctx: CheckContext, path: str, hops: int = 8) -> Optional[str]:
    """The regular file `path` is (following links inside the image), or None when it is
    not in the image. Only the path's header is read (docker's archive stat)."""
    try:
        stat = _stat(ctx.container.client.api, ctx.container.id, path)
    except (NotFound, APIError):
        return None
    link = stat.get("linkTarget") or ""
    if link:
        return _resolve(ctx, posixpath.normpath(posixpath.join(posixpath.dirname(path), link)), hops - 1) \
            if hops > 0 else None
    if stat.get("mode", 0) & (1 << 31):   # a directory (Go's os.ModeDir)
        return None
    return path


def _stat(api, container_id: str, path: str) -> dict:
    """HEAD /containers/{id}/archive: the path's stat header alone (GET would send the
    file; docker-py has no call for HEAD)."""
    response = api.head(api._url("/containers/{0}/archive", container_id), params={"path": path})
    api._raise_for_status(response)
    return decode_json_header(response.headers.get("x-docker-container-path-stat") or "e30=")
