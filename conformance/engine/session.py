"""A run's identity, the labels on everything it creates, and its cleanup: in `finally`,
on Ctrl-C / SIGTERM, and a sweep of what crashed runs left behind."""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from contextlib import ExitStack
from typing import Callable

import docker
import psutil
from docker.errors import APIError, NotFound

LABEL = "sagemaker-conformance"
LABEL_RUN = "sagemaker-conformance.run-id"
LABEL_PID = "sagemaker-conformance.owner-pid"
LABEL_HOST = "sagemaker-conformance.owner-host"
LABEL_STARTED = "sagemaker-conformance.owner-started"   # the owner process's start time


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


class RunSession:
    """Owns the resources of one run; `close()` removes all of them, whatever happened."""

    def __init__(self, client: docker.DockerClient, run_id: str = "") -> None:
        self.client = client
        self.run_id = run_id or new_run_id()
        self._stack = ExitStack()

    @property
    def labels(self) -> dict:
        return {LABEL: "1", LABEL_RUN: self.run_id, LABEL_PID: str(os.getpid()),
                LABEL_HOST: socket.gethostname(), LABEL_STARTED: _own_start_time()}

    def on_close(self, fn: Callable, *args, **kwargs) -> None:
        self._stack.callback(_quietly, fn, *args, **kwargs)

    def track_dir(self, path: str) -> None:
        self.on_close(shutil.rmtree, path, True)

    def close(self) -> None:
        try:
            self._stack.close()
        finally:
            if self.client is not None:   # None: a --target run made nothing in Docker
                remove_by_label(self.client, f"{LABEL_RUN}={self.run_id}")

    def __enter__(self) -> "RunSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quietly(fn: Callable, *args, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except (APIError, NotFound, OSError):
        pass


def remove_by_label(client: docker.DockerClient, label: str) -> tuple[int, int]:
    """Force-remove containers, then networks (after detaching anything still joined, such
    as the tool's own container), then volumes carrying `label`. Returns the counts of
    containers and networks."""
    # sparse: no inspect per container, which would race with other runs removing theirs
    containers = client.containers.list(all=True, sparse=True, filters={"label": label})
    for container in containers:
        _quietly(container.remove, v=True, force=True)
    networks = client.networks.list(filters={"label": label})
    for network in networks:
        _quietly(network.reload)
        for joined in (network.attrs.get("Containers") or {}):
            _quietly(network.disconnect, joined, force=True)
        _quietly(network.remove)
    for volume in client.volumes.list(filters={"label": label}):
        _quietly(volume.remove, force=True)
    return len(containers), len(networks)


def sweep_stale(client: docker.DockerClient) -> int:
    """Remove resources of earlier runs that are provably dead: made on this host by a
    process that no longer exists (or whose PID now belongs to a younger process). Runs
    of other hosts, or whose owner cannot be told, are left alone."""
    host = socket.gethostname()
    stale: set = set()
    objects = (client.containers.list(all=True, sparse=True, filters={"label": LABEL}) +
               client.networks.list(filters={"label": LABEL}))
    for obj in objects:
        labels = obj.attrs.get("Labels") or obj.attrs.get("Config", {}).get("Labels") or {}
        if labels.get(LABEL_HOST) == host and owner_is_dead(labels):
            stale.add(labels.get(LABEL_RUN))
    for run_id in stale - {None}:
        remove_by_label(client, f"{LABEL_RUN}={run_id}")
    return len(stale)


def _own_start_time() -> str:
    return f"{psutil.Process().create_time():.2f}"


def owner_is_dead(labels: dict) -> bool:
    """Looked up in the process table (psutil), never by sending a signal."""
    try:
        pid = int(labels.get(LABEL_PID, ""))
    except ValueError:
        return False
    try:
        started = psutil.Process(pid).create_time()
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:   # exists, but we may not look: not provably dead
        return False
    recorded = labels.get(LABEL_STARTED)
    return recorded is not None and abs(float(recorded) - started) > 1.0
