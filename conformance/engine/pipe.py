"""Pipe input mode: each channel is a series of FIFOs /opt/ml/input/data/<channel>_<epoch>,
fed by the tool; a reader reads one to EOF (or closes it early), then opens the next,
which may not exist yet (contract.md training.channel.pipe, TRAIN-INFO)."""
from __future__ import annotations

import errno
import os
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
        self.make_fifo(0)

    def make_fifo(self, epoch: int) -> Path:
        path = self.data_dir / f"{self.channel}_{epoch}"
        if not path.exists():
            os.mkfifo(path, 0o666)
            os.chmod(path, 0o666)
        return path

    def run(self) -> None:
        for epoch in range(MAX_EPOCHS):
            fd = self._open_when_read(self.make_fifo(epoch))
            if fd is None:
                return
            self.epochs.append(self._feed(fd))

    def _open_when_read(self, path: Path):
        while not self.stop_event.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:   # ENXIO: no reader yet
                    return None
                time.sleep(0.05)
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
