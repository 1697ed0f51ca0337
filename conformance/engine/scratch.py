"""The run's own folders on the host (an unpacked model, a training job's /opt/ml tree):
all under one folder per run, `<tmp>/smc-run-<run id>`, that names its owner (pid, host,
start time, as the labels do), so that `clean` finds and removes what a killed run left
there as it does with the run's containers and networks."""
from __future__ import annotations

import json
import shutil
import socket
import tempfile
from pathlib import Path

from .session import LABEL_HOST, RunSession, owner_is_dead

PREFIX = "smc-run-"
OWNER_FILE = "owner.json"


def scratch_root() -> Path:
    return Path(tempfile.gettempdir())


def temp_dir(session: RunSession, name: str) -> Path:
    """A fresh folder for `name` in the run's folder, removed when the session closes."""
    run_folder = scratch_root() / f"{PREFIX}{session.run_id}"
    if not run_folder.is_dir():
        run_folder.mkdir(mode=0o700)
        session.track_dir(str(run_folder))   # registered first: removed last
        (run_folder / OWNER_FILE).write_text(json.dumps(session.labels))
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=run_folder))


def sweep_folders(everything: bool = False) -> int:
    """Remove the run folders whose owner is provably dead (made on this host by a process
    that is gone), or with `everything` every run folder. Returns how many."""
    removed = 0
    for folder in scratch_root().glob(f"{PREFIX}*"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        if everything or _stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _stale(folder: Path) -> bool:
    try:
        labels = json.loads((folder / OWNER_FILE).read_text())
    except (OSError, ValueError):
        return False   # being made, or not ours to judge
    return isinstance(labels, dict) and labels.get(LABEL_HOST) == socket.gethostname() \
        and owner_is_dead(labels)
