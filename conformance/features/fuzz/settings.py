"""What --fuzz and --fuzz-seed ask for (kept apart from the runner, so that the config
does not import hypothesis)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional
from ...contract import INVOKE_LIMIT_S




@dataclass(frozen=True)
class FuzzSettings:
    examples: int = 0                  # 0: no fuzzing
    seed: Optional[int] = None         # None: a fresh seed, reported so the run can be replayed
    derandomize: bool = False          # the pytest plugin's default: the same examples every run
    hang_s: float = INVOKE_LIMIT_S   # no answer by then is a hang (contract.md inference.invocations.latency)

    def chosen_seed(self) -> Optional[int]:
        """The seed of this run; None when derandomized (hypothesis seeds from the test)."""
        if self.derandomize and self.seed is None:
            return None
        return self.seed if self.seed is not None else random.SystemRandom().randrange(2 ** 32)
