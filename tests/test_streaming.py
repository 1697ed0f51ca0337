"""--stream and --bidi through real containers: a FastAPI StreamingResponse and WebSocket on
uvicorn pass every serving check and the streaming ones; each broken sample (a buffered
body, chunks held back to the end, a 1 MiB request limit; no label, a label without the
WebSocket, no Pong, no Close) fails the check named after it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.checks import get, select
from conformance.model import Mode, Severity, Status
from conformance.reporters import write_reports
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
BROKEN = sorted(p.name for p in (Path(__file__).parents[1] / "sample_containers" / "broken").iterdir()
                if p.name.startswith("streaming."))
OPTIONS = ("stream", "bidi")
STREAMING = {s.id for s in select(Mode.SERVE, options=OPTIONS) if s.option in OPTIONS}


def test_every_streaming_check_has_a_broken_sample():
    assert STREAMING == set(BROKEN) and len(STREAMING) == 7


def test_a_fastapi_stream_passes_every_check(sample_images, tmp_path):
    report = check_image(sample_images["good-streaming"], stream=True, bidi=True)
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in select(Mode.SERVE, options=OPTIONS)}
    bidi = by_id(report)["streaming.bidi.endpoint"].details["bidi"]
    assert bidi["answer_kind"] == "text" and bidi["answer_bytes"] > 0 and bidi["close_code"] == 1000
    print(f"bidi: {by_id(report)['streaming.bidi.endpoint'].message}; {by_id(report)['streaming.bidi.keepalive'].message}")
    first = by_id(report)["streaming.response.first-byte"]
    parts = first.details["streaming"]
    assert parts["chunked"] and parts["chunks"] == 3
    assert 0 < parts["ttfb_s"] < parts["last_byte_s"] and first.unit == "ms"
    assert first.measured == pytest.approx(parts["ttfb_s"] * 1000, abs=0.2)
    write_reports(report, [("json", tmp_path / "r.json")])   # validated against the schema first
    saved = {c["id"]: c for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert saved["streaming.response.chunked"]["details"]["streaming"]["chunks"] == 3


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_stream_fails_its_check(sample_images, check_id):
    bidi = check_id.startswith("streaming.bidi.")   # each sample breaks one kind of streaming
    report = check_image(sample_images[f"broken-{check_id}"], stream=not bidi, bidi=bidi, only=("streaming",))
    result = by_id(report)[check_id]
    must = get(check_id).severity is Severity.MUST
    assert result.status is (Status.FAIL if must else Status.WARN), result.message
    assert get(check_id).remediation and report.verdict == ("fail" if must else "warn")


def test_a_server_that_does_not_stream_is_told_so(sample_images):
    report = check_image(sample_images["good-minimal"], stream=True, only=("streaming.response.chunked",))
    result = by_id(report)["streaming.response.chunked"]
    assert result.status is Status.FAIL and "Content-Length" in result.message
