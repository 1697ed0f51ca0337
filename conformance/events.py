"""Typed events the engine yields; fronts route them to reporters."""
from __future__ import annotations

from dataclasses import dataclass

from .model import CheckResult, RunReport


@dataclass(frozen=True)
class RunStarted:
    run_id: str
    image: str
    mode: str
    checks: tuple


@dataclass(frozen=True)
class Progress:
    text: str


@dataclass(frozen=True)
class CheckFinished:
    result: CheckResult


@dataclass(frozen=True)
class RunFinished:
    report: RunReport


Event = RunStarted | Progress | CheckFinished | RunFinished
