"""The pieces of the stuck-start judgement that need no container (fast tier): what counts
as the same /ping answer and the same log line, and when a --target's start is stuck.
The judgement on real containers is tests/test_starts.py."""
from __future__ import annotations

from conformance.engine.http import HttpSample
from conformance.engine.sockets import Listener
from conformance.engine.start_evidence import StartWatch, _parse_stamp, line_shape, ping_key


def sample(status=None, error=""):
    return HttpSample("GET", "/ping", 0.0, 0.01, status=status, error=error)


def test_ping_answers_are_keyed_without_their_timings():
    assert ping_key(sample(500)) == "500"
    assert ping_key(sample(error="no answer within 2 s")) == "timeout"
    assert ping_key(sample(error="connection refused")) == "connection refused"


def test_access_lines_of_every_ping_share_one_shape():
    one = line_shape('172.18.0.1 - - [03/Dec/2026 11:50:01] "GET /ping HTTP/1.1" 500 -')
    two = line_shape('172.18.0.1 - - [03/Dec/2026 11:50:02] "GET /ping HTTP/1.1" 500 -')
    assert one == two and line_shape("\x1b[31mloading shard 3 of 10\x1b[0m") == "loading shard 0 of 0"
    assert _parse_stamp("2026-12-03T11:50:01.123456789Z").microsecond == 123456


def test_a_target_that_keeps_answering_500_is_stuck_after_the_settle_time():
    watch = StartWatch(None, 8080, settle_s=5.0)
    evidence = None
    for second in range(8):
        watch.saw(float(second), sample(500))
        evidence = watch.look(float(second), None) or evidence
        if evidence:
            break
    assert evidence is not None and evidence.kind == "ping-status" and evidence.over_s >= 5.0
    assert evidence.measured() == (500, 200, "status") and evidence.cpu_percent is None


def test_a_changing_answer_starts_the_settle_time_again_and_nothing_listening_is_never_stuck():
    watch = StartWatch(None, 8080, settle_s=3.0)
    for second in range(10):
        watch.saw(float(second), sample(503 if second % 2 else 500))
        assert watch.look(float(second), None) is None
    quiet = StartWatch(None, 8080, settle_s=1.0)
    for second in range(5):
        quiet.saw(float(second), sample(error="connection refused"))
        assert quiet.look(float(second), [Listener("0.0.0.0", 5000)]) is None, "a target has no sockets to judge"
