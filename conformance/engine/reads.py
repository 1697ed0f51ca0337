"""Evidence that a job read a file: its access time is set a day before its mtime, so a
read moves it forward (the kernel's relatime rule). Where the filesystem does not record
reads at all (noatime), `atime_recorded()` says so and the checks report that they
cannot tell."""
from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

BACKDATE_S = 86400


def backdate_atime(path: Path) -> None:
    """Never through a link: a job's symlink must not make us touch a file outside."""
    stat = path.lstat()
    os.utime(path, (stat.st_mtime - BACKDATE_S, stat.st_mtime), follow_symlinks=False)


def was_read(path: Path) -> bool:
    stat = path.lstat()
    return stat.st_atime > stat.st_mtime - BACKDATE_S / 2


@functools.cache
def atime_recorded() -> bool:
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(b"x")
        handle.flush()
        backdate_atime(Path(handle.name))
        with open(handle.name, "rb") as again:
            again.read()
        return was_read(Path(handle.name))
