"""The engine. `run(config)` is the only call the fronts make (see runner.py)."""
from __future__ import annotations

from typing import Iterator


def run(config) -> Iterator:
    from .runner import run as _run
    return _run(config)
