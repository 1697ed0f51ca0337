"""The host side of /opt/ml/model: a directory given as is, or a model.tar.gz unpacked
as SageMaker unpacks ModelDataUrl before the container starts (contract.md
inference.model-dir: one gzip tar, mounted read-only, may be empty)."""
from __future__ import annotations

import os
import tarfile
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import UsageError
from .session import RunSession


def prepare_model_dir(model: Optional[Path], session: RunSession) -> str:
    if model is not None and model.is_dir():
        return str(model.resolve())
    target = tempfile.mkdtemp(prefix=f"smc-{session.run_id}-model-")
    session.track_dir(target)
    if model is not None:
        _unpack(model, Path(target))
    _make_world_readable(Path(target))
    return target


def _unpack(archive: Path, target: Path) -> None:
    try:
        with tarfile.open(archive, "r:*") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # Python < 3.11.4: refuse members that escape the target
                for member in tar.getmembers():
                    resolved = (target / member.name).resolve()
                    if not str(resolved).startswith(str(target.resolve())):
                        raise UsageError(f"unsafe path in {archive}: {member.name}")
                tar.extractall(target)
    except (tarfile.TarError, OSError) as exc:
        raise UsageError(f"cannot unpack model archive {archive}: {exc}",
                         "SageMaker expects one gzip-compressed tar (model.tar.gz)") from None


def _make_world_readable(root: Path) -> None:
    """Images that run as a non-root USER must still read the model."""
    os.chmod(root, 0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            os.chmod(path, os.stat(path).st_mode | 0o444)
