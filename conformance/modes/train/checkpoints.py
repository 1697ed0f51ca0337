"""CheckpointConfig as the platform runs it: one S3 prefix for the whole job. Each host's
/opt/ml/checkpoints is synced up to that one prefix while it trains, and when a job starts
on the prefix again "the checkpoints from this S3 bucket are restored to
checkpoint_local_path in each instance" (AWS guide model-checkpoints-resume). So two
hosts that write the same file name with different content overwrite each other, and
every host restarts from whichever copy was uploaded last. Here the prefix is a folder:
it is restored into each host's own folder before a job and synced back after it, and
every such clash is recorded. Source: contract.md training.checkpoints (CKPT)."""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Clash:
    path: str            # relative to /opt/ml/checkpoints
    hosts: tuple         # the hosts that wrote it, each with other content
    kept: str            # whose copy the prefix holds now (the last upload)

    def describe(self) -> str:
        return f"{self.path} written by {' and '.join(self.hosts)} with different content (the prefix keeps {self.kept}'s)"


class CheckpointPrefix:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def files(self) -> dict[str, str]:
        """Relative path -> sha256 of what the prefix holds."""
        return _digests(self.folder)

    def restore(self, local_root: Path, hosts: list) -> None:
        """The prefix copied into each host's local folder (local_root/<host>), world-writable
        for images with a non-root USER."""
        for host in hosts:
            target = local_root / host
            shutil.copytree(self.folder, target, dirs_exist_ok=True, symlinks=True)
            for dirpath, _, filenames in os.walk(target):
                os.chmod(dirpath, 0o777)
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    if not os.path.islink(path):
                        os.chmod(path, 0o666)

    def sync(self, local_root: Path, hosts: list) -> list[Clash]:
        """Each host's new or changed files uploaded to the prefix, in host order; the files
        two hosts wrote with different content are the clashes."""
        before = self.files()
        written: dict[str, dict[str, str]] = {}   # path -> host -> digest
        for host in hosts:
            for path, digest in _digests(local_root / host).items():
                if before.get(path) != digest:
                    written.setdefault(path, {})[host] = digest
        clashes = []
        for path, by_host in sorted(written.items()):
            last = list(by_host)[-1]
            destination = self.folder / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(local_root / last / path, destination)
            if len(set(by_host.values())) > 1:
                clashes.append(Clash(path, tuple(by_host), last))
        return clashes


def _digests(folder: Path) -> dict[str, str]:
    found = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():   # a link planted by the job is not followed
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
