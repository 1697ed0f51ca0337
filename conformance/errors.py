"""Typed errors. Anything a user can act on is a ConformanceError: the fronts print its
message (and hint) and exit 2, never a traceback."""
from __future__ import annotations

import contextlib
from typing import Iterator


class ConformanceError(Exception):
    """An error of usage or environment: the run cannot judge the image at all."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(ConformanceError):
    """Bad options or input files."""


class DockerUnavailable(ConformanceError):
    """No Docker engine answers."""


class ImageNotFound(ConformanceError):
    """The image is not in the local engine."""


class EngineError(ConformanceError):
    """The Docker engine refused what the run asked of it (create, start, a network)."""

    @classmethod
    def from_docker(cls, exc: Exception, doing: str = "") -> "EngineError":
        text = getattr(exc, "explanation", None) or str(exc)
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        first = (str(text).strip().splitlines() or [type(exc).__name__])[0]
        what = f"could not {doing}: " if doing else ""
        hint = "check the limits and options given (--memory, --cpus), and the engine's state"
        if "address pool" in first or "non-overlapping" in first:
            hint = ("Docker's address pools are exhausted: remove unused networks "
                    "(`docker network prune`, `sagemaker-conformance clean`) or widen "
                    "default-address-pools in daemon.json")
        elif "cgroup" in first.lower() or "cpu" in first.lower():
            hint = ("this engine cannot apply CPU or memory limits as asked (rootless Docker "
                    "without cgroup delegation?): pass --cpus/--memory it can apply")
        elif "memory" in first.lower():
            hint = "give --memory at least 6m (Docker's minimum for a container)"
        return cls(f"Docker refused to run the image: {what}{first}", hint)


@contextlib.contextmanager
def docker_errors(doing: str) -> Iterator[None]:
    """Turn a Docker API error into an EngineError (exit 2, one line, no traceback)."""
    import docker
    try:
        yield
    except docker.errors.DockerException as exc:
        raise EngineError.from_docker(exc, doing) from None


class DuplicateCheckId(Exception):
    """Two checks were registered under one id (a programming error)."""


class TargetUnreachable(ConformanceError):
    """A --target never answered a healthy /ping: nothing of it could be judged."""


class CheckPluginError(ConformanceError):
    """A package's entry point in sagemaker_conformance.checks could not be loaded."""


class ProbeError(Exception):
    """A measurement could not be taken: the check becomes `error`, not `fail`."""
