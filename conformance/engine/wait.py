"""The one wait primitive: call a step until it gives an answer or a bound passes.

Every wait of the engine, its modes and features goes through `wait_for`: bounded (the
step runs at least once, then never after `within_s`), polled (the pause between steps
never runs past the bound) and, when the bound passes, ended with a reason that says
what the last step saw."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Generic, Optional, TypeVar, Union

T = TypeVar("T")


@dataclass(frozen=True)
class Waited(Generic[T]):
    value: Optional[T]   # what the step answered; None when the bound passed first
    tries: int
    elapsed_s: float
    reason: str = ""     # why it ended without an answer ("" when answered)

    @property
    def answered(self) -> bool:
        return self.value is not None


def wait_for(step: Callable[[], Optional[T]], within_s: float,
             every_s: Union[float, Callable[[], float]] = 0.25, *, started: Optional[float] = None,
             what: str = "an answer", last: Callable[[], str] = lambda: "") -> Waited[T]:
    """Call `step` until it returns something other than None, or until `within_s` has
    passed since `started` (default: now). `every_s` is the pause between steps (or a
    function giving it, for waits that poll faster once something answers); `what` and
    `last` word the reason: "no <what> within 10 s (last: <last()>)"."""
    began = time.monotonic() if started is None else started
    tries = 0
    while True:
        tries += 1
        value = step()
        now = time.monotonic()
        if value is not None:
            return Waited(value, tries, now - began)
        left = within_s - (now - began)
        if left <= 0:
            seen = last()
            return Waited(None, tries, now - began,
                          f"no {what} within {within_s:g} s" + (f" (last: {seen})" if seen else ""))
        pause = every_s() if callable(every_s) else every_s
        time.sleep(max(0.0, min(pause, left)))
