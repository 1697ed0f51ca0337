"""The one wait primitive (engine/wait.py): bounded, polled, with a reason on timeout.
Pure timing of a local function: no container is involved."""
from __future__ import annotations

import time

from conformance.engine.wait import wait_for


def test_an_answer_ends_the_wait_and_counts_the_tries():
    answers = iter([None, None, "ready"])
    waited = wait_for(lambda: next(answers), within_s=5, every_s=0.01)
    assert waited.answered and waited.value == "ready" and waited.tries == 3 and waited.reason == ""


def test_the_bound_ends_the_wait_with_what_was_seen_last():
    seen = []
    began = time.monotonic()
    waited = wait_for(lambda: seen.append(len(seen)), within_s=0.3, every_s=0.05,
                      what="healthy /ping", last=lambda: f"{len(seen)} refused")
    took = time.monotonic() - began
    print(f"bounded wait of 0.3 s took {took:.3f} s over {waited.tries} tries")
    assert not waited.answered and waited.value is None
    assert 0.3 <= took < 0.3 + 0.05 + 0.1, took   # never a whole pause past the bound
    assert waited.reason == f"no healthy /ping within 0.3 s (last: {len(seen)} refused)"
    assert waited.tries == len(seen) >= 5


def test_the_step_runs_once_even_with_no_time_and_the_pause_may_change():
    assert wait_for(lambda: None, within_s=0).tries == 1
    pauses = []
    waited = wait_for(lambda: None, within_s=0.2, every_s=lambda: pauses.append(1) or 0.5)
    assert waited.tries == 2 and len(pauses) == 1 and waited.elapsed_s < 0.35   # cut at the bound
