"""Pipe input mode: each channel is a series of FIFOs /opt/ml/input/data/<channel>_<epoch>,
fed by the tool; a reader reads one to EOF (or closes it early), then opens the next,
which may not exist yet (contract.md training.channel.pipe, TRAIN-INFO).

The folder is shared with the container, which may plant links or files under the FIFOs'
names, or swap the folder itself: the feeder holds a descriptor of the folder taken before
the container starts, makes and opens each FIFO relative to it without following any link
(O_NOFOLLOW), replaces whatever else stands under a FIFO's name, and writes only into a
descriptor that fstat shows is a FIFO. So channel data never reaches a file of the host."""
from __future__ import annotations

import errno
import os
import stat
import threading
import time
from pathlib import Path

MAX_EPOCHS = 100
CHUNK = 65536


class PipeFeeder(threading.Thread):
    """Feeds one channel of one host, epoch after epoch, until stopped."""

    def __init__(self, data_dir: Path, channel: str, files: list) -> None:
        super().__init__(daemon=True, name=f"pipe-{channel}")
        self.data_dir, self.channel, self.files = data_dir, channel, files
        self.stop_event = threading.Event()
        self.epochs: list = []      # bytes delivered per epoch that a reader opened
        self.refused: list = []     # names the container put something else under (a link, a file)
        self.dir_fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        self.make_fifo(0)

    def make_fifo(self, epoch: int) -> str:
        """The FIFO's name in the held folder: made, or remade when something else is there."""
        name = f"{self.channel}_{epoch}"
        try:
            mode = os.lstat(name, dir_fd=self.dir_fd).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISFIFO(mode):
            self.refused.append(name)
            _remove(name, self.dir_fd, mode)
            mode = None
        if mode is None:
            os.mkfifo(name, 0o666, dir_fd=self.dir_fd)
            os.chmod(name, 0o666, dir_fd=self.dir_fd, follow_symlinks=False)
        return name

    def run(self) -> None:
        try:
            for epoch in range(MAX_EPOCHS):
                fd = self._open_when_read(epoch)
                if fd is None:
                    return
                self.epochs.append(self._feed(fd))
        except OSError:   # the container took the folder away: nothing more to feed
            return
        finally:
            os.close(self.dir_fd)

    def _open_when_read(self, epoch: int):
        name = self.make_fifo(epoch)
        while not self.stop_event.is_set():
            try:
                fd = os.open(name, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW, dir_fd=self.dir_fd)
            except OSError as exc:
                if exc.errno == errno.ENXIO:   # no reader yet
                    time.sleep(0.05)
                elif exc.errno in (errno.ELOOP, errno.ENOENT):   # swapped for a link, or removed
                    name = self.make_fifo(epoch)
                else:
                    return None
                continue
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):   # never write into anything else
                os.close(fd)
                self.refused.append(name)
                name = self.make_fifo(epoch)
                continue
            os.set_blocking(fd, True)
            return fd
        return None

    def _feed(self, fd: int) -> int:
        sent = 0
        try:
            for path in self.files:
                with open(path, "rb") as handle:
                    while chunk := handle.read(CHUNK):
                        os.write(fd, chunk)
                        sent += len(chunk)
        except BrokenPipeError:
            pass   # the reader closed early: allowed
        finally:
            os.close(fd)
        return sent

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


def _remove(name: str, dir_fd: int, mode: int) -> None:
    """What the container put under a FIFO's name: a link or file is unlinked (never its
    target), a folder removed if empty; what cannot be removed stays, and mkfifo then fails."""
    try:
        if stat.S_ISDIR(mode):
            os.rmdir(name, dir_fd=dir_fd)
        else:
            os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass
