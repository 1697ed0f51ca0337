"""One engine run per image under pytest-xdist, whatever the --dist mode: every worker
holds the same selected items, so the first worker to reach an image takes its lock, runs
the engine and leaves the results in a file; the others wait on the lock and read them.
The folder is keyed by xdist's test run id, so two sessions never share. Without xdist
(or without fcntl) the run is simply made here. The folder must be this user's alone
(mode 0700): results are read only from there."""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable


def shared_run(config: Any, image: str, compute: Callable[[], Any]) -> Any:
    workerinput = getattr(config, "workerinput", None)
    try:
        import fcntl
    except ImportError:   # Windows: each worker runs its own
        fcntl = None
    if workerinput is None or fcntl is None:
        return compute()
    folder = Path(tempfile.gettempdir()) / f"smc-xdist-{workerinput['testrunuid']}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return compute()   # not a folder of ours alone: never read a result from it
    key = hashlib.sha256(image.encode()).hexdigest()[:16]
    result_file = folder / f"{key}.pickle"
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # held for the whole run: the others wait here
        try:
            if result_file.exists():
                return pickle.loads(result_file.read_bytes())   # written by a worker of this session
            result = compute()
            result_file.write_bytes(pickle.dumps(result))
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
