"""The Docker client, with errors a user can act on."""
from __future__ import annotations

import docker
from docker.errors import DockerException, ImageNotFound as DockerImageNotFound
from docker.models.images import Image

from ..errors import DockerUnavailable, ImageNotFound


def connect() -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except DockerException as exc:
        raise DockerUnavailable(
            f"Docker is not reachable: {_first_line(exc)}",
            "start Docker (Docker Desktop, or `sudo dockerd`), or set DOCKER_HOST") from None


def get_image(client: docker.DockerClient, ref: str) -> Image:
    try:
        return client.images.get(ref)
    except DockerImageNotFound:
        raise ImageNotFound(f"image not found in the local Docker engine: {ref}",
                            f"build it (`docker build -t {ref} .`) or pull it first") from None
    except DockerException as exc:
        raise DockerUnavailable(f"could not inspect image {ref}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
