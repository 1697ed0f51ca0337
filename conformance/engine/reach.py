"""How the tool reaches the container it started, wherever it runs:
- "bridge": the tool runs on the engine's Linux host and routes to the run network's
  bridge address directly (exact accept timings);
- "joined": the tool itself runs in a container of the same engine (Docker outside of
  Docker: GitLab, Jenkins, GitHub container jobs with /var/run/docker.sock mounted); its
  own container joins the run's network, as testcontainers does (exact timings too);
- "published": a remote engine (DOCKER_HOST=tcp://, ssh://, a docker:dind service) or
  Docker Desktop: a published port on the engine's host, through Docker's proxy, where
  accept timings cannot be measured.
Also: whether files can be bind-mounted (only when the engine sees this machine's paths)."""
from __future__ import annotations

import ipaddress
import os
import platform
import re
import socket
from typing import Optional
from urllib.parse import urlparse

import docker

CONTAINER_ID = re.compile(r"/(?:docker/)?containers/([0-9a-f]{64})/")


def docker_host() -> str:
    return os.environ.get("DOCKER_HOST", "")


def engine_is_remote() -> bool:
    return docker_host().split("://")[0] not in ("unix", "npipe", "")


def engine_host() -> str:
    """Where a published port lives: the engine's host, not always 127.0.0.1."""
    if engine_is_remote():
        return urlparse(docker_host()).hostname or "127.0.0.1"
    return "127.0.0.1"


def publish_address() -> str:
    """Bind published ports to loopback on a local engine; on a remote one, to the
    engine host's interfaces (its loopback is not ours)."""
    host = engine_host()
    try:
        loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        loopback = False
    return "127.0.0.1" if loopback else "0.0.0.0"


def own_container_id(client: docker.DockerClient) -> Optional[str]:
    """This process's container on the same engine, if it runs in one (read from the
    mounts Docker makes for it: /etc/hostname, /etc/hosts, /etc/resolv.conf)."""
    try:
        with open("/proc/self/mountinfo") as f:
            found = CONTAINER_ID.search(f.read())
    except OSError:
        return None
    if not found:
        return None
    try:
        return client.containers.get(found.group(1)).id
    except docker.errors.DockerException:
        return None   # a container of another engine (e.g. dind): not ours to join


def choose_connection(client: docker.DockerClient, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    if engine_is_remote():
        return "published"
    if own_container_id(client):
        return "joined"
    return "bridge" if platform.system() == "Linux" else "published"


def files_by_copy(client: docker.DockerClient) -> bool:
    """Bind mounts name paths on the engine's host: only right when that is this machine."""
    return engine_is_remote() or own_container_id(client) is not None or platform.system() != "Linux"
