"""Property-based fuzzing of POST /invocations with hypothesis: N examples from the
strategies in strategies.py, each followed by "is the server alive, and does /ping answer
within 2 s?". Failures are told apart by kind; hypothesis shrinks each kind separately
(one exception type per kind), and the smallest failing example of a kind is reported.
The user's hypothesis profile is the parent of our settings (verbosity, phases); we set
the example budget, no deadline (the 60 s limit is ours), the seed and no example
database: a run is replayed by its seed (hypothesis saves nothing for a seeded test).
hypothesis' own files (its constants cache) go where the user's HYPOTHESIS_STORAGE_DIRECTORY
or the process that imported hypothesis first says, else into the user's cache folder,
never into .hypothesis/ of whatever folder a check was started from."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable, Optional

# A pytest session (or any process that had hypothesis first) is the user's: their settings stand.
USERS_HYPOTHESIS = "hypothesis" in sys.modules or "_pytest" in sys.modules

from hypothesis import HealthCheck, Verbosity, given, reject, seed as hypothesis_seed, settings  # noqa: E402

from ...engine.http import HttpSample, http_call
from ...config import MAX_BODY_BYTES
from .settings import FuzzSettings
from .strategies import FuzzCase, cases
from ...contract import PING_LIMIT_S

# Kinds of failure. A server that is gone, hangs past the platform's 60 s invocation limit
# (contract.md inference.invocations.latency) or stops answering /ping within 2 s
# (inference.ping.latency) is down: the platform would replace the instance.
DOWN_KINDS = ("crash", "hang", "ping")
STATUS_KINDS = ("5xx", "no response")
# What http_call reports when the server, not the client, ended the exchange without an answer.
DROPPED = ("connection closed without a response", "connection reset", "connection aborted")
BUDGET_BASE_S, BUDGET_PER_EXAMPLE_S = 120.0, 2.0   # then every further example is rejected
MAX_RESTARTS = 40   # containers started again to shrink an input that took the server down


class ServerDown(AssertionError):
    """Raised for a crash, a hang or a broken /ping (one kind for hypothesis' shrinker)."""


class ServerError(AssertionError):
    """Raised for a 5xx or a dropped connection without a response."""


@dataclass
class FuzzFinding:
    kind: str
    case: FuzzCase
    sample: HttpSample
    after: str              # what /ping said afterwards
    logs: str               # the container's log tail right after the smallest example
    seen: int = 1           # failing examples of this class, shrink attempts included


@dataclass
class FuzzResult:
    examples: int = 0                  # requests sent
    seed: Optional[int] = None
    derandomized: bool = False
    elapsed_s: float = 0.0
    statuses: dict = field(default_factory=dict)     # status code or error -> count
    down: Optional[FuzzFinding] = None
    status: Optional[FuzzFinding] = None
    stopped: str = ""                  # why exploring stopped before hypothesis was done
    storage: str = ""                  # where hypothesis keeps its own files for this run
    restarts: int = 0                  # times the container was started again to shrink

    def replay(self, examples: int) -> str:
        if self.seed is None:
            return f"--fuzz {examples} in the pytest plugin (derandomized: the same examples every run)"
        return f"--fuzz {examples} --fuzz-seed {self.seed}"


class _Recorder:
    def __init__(self, deadline: float, restart: Optional[Callable[[], bool]]) -> None:
        self.result = FuzzResult()
        self.deadline = deadline
        self.restart = restart
        self.terminal = False     # the server is down for good: only its example is replayed

    def closed(self, case: FuzzCase) -> bool:
        """Once the server is down for good, only the example that took it down is replayed
        (it fails again without a request); every other input is rejected as untestable."""
        if self.terminal:
            return case != self.result.down.case
        if time.monotonic() > self.deadline:
            self.result.stopped = self.result.stopped or "the fuzzing budget ran out"
            return True
        return False

    def keep(self, kind: str, case: FuzzCase, sample: HttpSample, after: str, logs: str) -> None:
        """The latest failing example of each class: at the end, hypothesis' replay of its
        shrunk minimal example (a shrink step that fails is always smaller than the last)."""
        slot = "down" if kind in DOWN_KINDS else "status"
        old = getattr(self.result, slot)
        setattr(self.result, slot, FuzzFinding(kind, case, sample, after, logs, 1 + (old.seen if old else 0)))

    def recover(self, kind: str) -> None:
        """Start the container again so that hypothesis can shrink the input that took it
        down; a hang is not shrunk (each try would wait out the limit)."""
        why = ""
        if kind == "hang":
            why = "a hang is not shrunk: each try would wait out the limit"
        elif self.restart is None:
            why = "the tool did not start this server, so it cannot restart it to shrink the input"
        elif self.result.restarts >= MAX_RESTARTS:
            why = f"shrinking stopped after {MAX_RESTARTS} restarts"
        else:
            self.result.restarts += 1
            if self.restart():
                return
            why = "the container did not come back healthy after a restart"
        self.terminal = True
        self.result.stopped = f"the server went down ({kind}); {why}"


def run_fuzz(base_url: Callable[[], str], payload: Optional[bytes], content_type: str, accept: str,
             fuzz: FuzzSettings, still_healthy: Callable[[float], tuple],
             log_tail: Callable[[], str], progress: Callable[[str], None] = lambda _: None,
             restart: Optional[Callable[[], bool]] = None,
             max_body: int = MAX_BODY_BYTES) -> FuzzResult:
    """`base_url` is asked before each request: a restart may move the container."""
    started = time.monotonic()
    recorder = _Recorder(started + BUDGET_BASE_S + BUDGET_PER_EXAMPLE_S * fuzz.examples, restart)
    result = recorder.result

    def one_example(case: FuzzCase) -> None:
        if recorder.closed(case):
            reject()
        if recorder.terminal:   # hypothesis replays the example that took the server down
            raise ServerDown(f"{result.down.kind}: {result.down.after}")
        result.examples += 1
        if result.examples % 25 == 0:
            progress(f"fuzzing /invocations: {result.examples} requests sent")
        sample = http_call(base_url(), "POST", "/invocations", body=case.body,
                           headers=case.headers(), read_timeout=fuzz.hang_s)
        key = sample.status if sample.status is not None else (sample.error or "error").split(" (")[0]
        result.statuses[str(key)] = result.statuses.get(str(key), 0) + 1
        alive, after = still_healthy(PING_LIMIT_S)
        kind = classify(sample, alive, after, fuzz.hang_s)
        if kind is None:
            return
        recorder.keep(kind, case, sample, after, log_tail())
        if kind in DOWN_KINDS:
            recorder.recover(kind)
            raise ServerDown(f"{kind}: {after}")
        raise ServerError(f"{kind}: {sample.describe()}")

    result.seed, result.derandomized = fuzz.chosen_seed(), fuzz.derandomize and fuzz.seed is None
    result.storage = hypothesis_storage()
    test = _wrap(one_example, cases(payload, content_type, accept, max_body), fuzz, result.seed)
    progress(f"fuzzing /invocations with {fuzz.examples} hypothesis examples"
             + (f" (seed {result.seed})" if result.seed is not None else " (derandomized)"))
    try:
        test()
    except (ServerDown, ServerError):
        pass
    except Exception as exc:   # hypothesis' own verdicts (a group of both, flaky, unsatisfiable)
        if "Flaky" in type(exc).__name__:
            result.stopped = result.stopped or ("a failing example did not fail again when hypothesis "
                                                "replayed it (flaky); it is reported as seen")
        elif not _only_ours(exc):
            result.stopped = result.stopped or f"hypothesis stopped: {type(exc).__name__}: {exc}"[:300]
    result.elapsed_s = round(time.monotonic() - started, 3)
    return result


def _wrap(fn: Callable, strategy, fuzz: FuzzSettings, chosen: Optional[int]) -> Callable:
    test = given(case=strategy)(fn)
    test = settings(parent=settings.default, max_examples=max(1, fuzz.examples), deadline=None,
                    derandomize=chosen is None, suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=True, print_blob=False, verbosity=Verbosity.quiet,
                    database=None)(test)
    if chosen is not None:
        test = hypothesis_seed(chosen)(test)
    return test


def hypothesis_storage() -> str:
    """Where hypothesis writes its own files in this run: the user's choice
    (HYPOTHESIS_STORAGE_DIRECTORY, or whatever the process that imported hypothesis
    first set up), else the user's cache folder (XDG_CACHE_HOME, ~/.cache)."""
    from hypothesis import configuration
    where = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if where:
        return where
    if USERS_HYPOTHESIS or not hasattr(configuration, "set_hypothesis_home_dir"):
        return str(configuration.storage_directory(intent_to_write=False).path)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home = cache / "sagemaker-conformance" / "hypothesis"
    configuration.set_hypothesis_home_dir(home)
    return str(home)


def _only_ours(exc: BaseException) -> bool:
    inner = getattr(exc, "exceptions", None)
    if inner is None:
        return isinstance(exc, (ServerDown, ServerError))
    return all(_only_ours(e) for e in inner)


def classify(sample: HttpSample, alive: bool, after: str, hang_s: float) -> Optional[str]:
    if not alive:
        return "crash" if after.startswith("the container exited") else "ping"
    if sample.error.startswith("no answer within"):
        return "hang"
    if sample.status is None:   # anything else failed on our side: not the server's fault
        return "no response" if sample.error.startswith(DROPPED) else None
    if sample.status >= 500:
        return "5xx"
    return None
