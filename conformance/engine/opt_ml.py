"""The host side of /opt/ml/model: a directory given as is, or a model.tar.gz unpacked
as SageMaker unpacks ModelDataUrl before the container starts (contract.md
inference.model-dir: one gzip tar, mounted read-only, may be empty)."""
from __future__ import annotations

import io
import os
import tarfile
import zlib
from pathlib import Path
from typing import Optional

import docker

from ..errors import UsageError
from .reach import files_by_copy
from .scratch import temp_dir
from .session import RunSession


def prepare_model_dir(model: Optional[Path], session: RunSession) -> str:
    if model is not None and model.is_dir():
        return str(model.resolve())
    target = str(temp_dir(session, "model"))
    if model is not None:
        _unpack(model, Path(target))
    _make_world_readable(Path(target))
    return target


def _unpack(archive: Path, target: Path) -> None:
    if not hasattr(tarfile, "data_filter"):
        # Without extraction filters tarfile follows links it has just made (and chmods
        # through them): refuse rather than unpack an untrusted archive unsafely.
        raise UsageError("this Python's tarfile has no extraction filters, so a model archive "
                         "cannot be unpacked safely",
                         "use Python 3.10.12+, 3.11.4+ or 3.12+, or give --model an unpacked directory")
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(target, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise UsageError(f"cannot unpack model archive {archive}: {type(exc).__name__}: {exc}",
                         "SageMaker expects one gzip-compressed tar (model.tar.gz); "
                         "is the file complete?") from None


def _make_world_readable(root: Path) -> None:
    """Images that run as a non-root USER must still read the model."""
    os.chmod(root, 0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            os.chmod(path, os.stat(path).st_mode | 0o444)


def model_mount(client: docker.DockerClient, session: RunSession, image: str, model_dir: str,
                at: str = "/opt/ml/model", name: str = "model") -> dict:
    """The `volumes` entry that puts the model at `at` (/opt/ml/model, or a multi-model
    endpoint's /opt/ml/models/<id>/model), read-only; `name` tells a run's volumes apart. Where the
    engine cannot see this machine's paths (the tool in a container, a remote engine), the
    files are handed to the engine through the API: a labelled volume, filled with
    put_archive through a created, never started, container of the image itself."""
    if not files_by_copy(client):
        return {model_dir: {"bind": at, "mode": "ro"}}
    volume = client.volumes.create(f"smc-{session.run_id}-{name}", labels=session.labels)
    session.on_close(volume.remove, force=True)
    helper = client.containers.create(image, command=["serve"], labels=session.labels,
                                      name=f"smc-{session.run_id}-{name}-copy", network_mode="none",
                                      volumes={volume.name: {"bind": "/opt/ml/model", "mode": "rw"}})
    try:
        helper.put_archive("/opt/ml/model", _tar_of(Path(model_dir)))
    finally:
        helper.remove(force=True)
    return {volume.name: {"bind": at, "mode": "ro"}}


def _tar_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            info = tar.gettarinfo(str(path), arcname=str(path.relative_to(folder)))
            info.uid = info.gid = 0
            if path.is_symlink():
                continue   # a link in a model folder could point anywhere on this machine
            if info.isfile():
                with open(path, "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    return buffer.getvalue()
