"""Typed errors. Anything a user can act on is a ConformanceError: the fronts print its
message (and hint) and exit 2, never a traceback."""
from __future__ import annotations


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


class DuplicateCheckId(Exception):
    """Two checks were registered under one id (a programming error)."""


class ProbeError(Exception):
    """A measurement could not be taken: the check becomes `error`, not `fail`."""
