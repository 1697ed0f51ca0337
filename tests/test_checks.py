"""Every check is proven by real containers: the good samples pass it, and the broken
sample named after it fails it (warns, for a SHOULD rule), with the measurement set."""
from __future__ import annotations

from pathlib import Path

import pytest

from conformance.checks import get, select
from conformance.features.fuzz.settings import FuzzSettings
from conformance.model import Mode, Phase, Severity, Status
from helpers import by_id, check_image

BROKEN = sorted(p.name for p in (Path(__file__).parents[1] / "sample_containers" / "broken").iterdir()
                if not p.name.startswith(("streaming.", "serverless.", "async.", "batch.", "pipeline.", "mme.",
                                               "component.", "variants.")))   # own test files
# Rules proven by a setting rather than a broken image (see the tests below).
PROVEN_OTHERWISE = {"image.arch"}
FUZZ = FuzzSettings(100, derandomize=True)   # --fuzz 100 as the pytest plugin runs it
# Without --load (tests/test_load.py) and --stream (tests/test_streaming.py); with --fuzz
# and --network-isolation (the good images need no network).
SERVE_CHECKS = {spec.id for spec in select(Mode.SERVE, options=("fuzz", "network_isolation"))}
# A server that listens on another port is judged once it is stuck there (idle for the
# settle time), or at the end of the platform's window (the shortest legal one, 60 s).
BROKEN_OVERRIDES = {"inference.port": dict(startup_window_s=60.0, startup_timeout_s=None),
                    "fuzz.alive": dict(fuzz=FUZZ), "fuzz.status": dict(fuzz=FUZZ),
                    "image.network-isolation": dict(network_isolation=True)}
_reports: dict = {}


def report_for(sample_images, name: str, **overrides):
    key = (name, repr(sorted(overrides.items())))
    if key not in _reports:
        _reports[key] = check_image(sample_images[name], **overrides)
    return _reports[key]


def test_every_check_has_a_broken_sample():
    assert SERVE_CHECKS - PROVEN_OTHERWISE == set(BROKEN)


@pytest.mark.parametrize("name", ["good-minimal", "good-serving"])
def test_good_images_pass_every_check(sample_images, name):
    report = report_for(sample_images, name, fuzz=FUZZ, network_isolation=True)
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed
    assert report.verdict == "pass"
    assert {r.id for r in report.results} == SERVE_CHECKS
    assert report.environment["time_to_healthy_s"] > 0
    port = by_id(report)["inference.bind-to-port"]   # good-minimal is labelled and drilled, good-serving is not
    assert port.measured == (8081 if name == "good-minimal" else "not labelled"), port.message


@pytest.mark.parametrize("check_id", BROKEN)
def test_broken_image_fails_its_check(sample_images, check_id):
    report = report_for(sample_images, f"broken-{check_id}", **BROKEN_OVERRIDES.get(check_id, {}))
    result = by_id(report)[check_id]
    expected = Status.FAIL if get(check_id).severity is Severity.MUST else Status.WARN
    assert result.status is expected, result.message
    assert result.message and result.remediation and result.source
    assert report.verdict == ("fail" if expected is Status.FAIL else "warn")
    if expected is Status.FAIL and get(check_id).phase > Phase.STATIC:
        assert result.logs, "failures carry the container's last log lines"


def test_should_failures_fail_under_strict(sample_images):
    report = report_for(sample_images, "broken-lifecycle.sigterm", strict=True)
    assert by_id(report)["lifecycle.sigterm"].status is Status.FAIL
    assert report.verdict == "fail"


def test_graviton_instance_needs_an_arm64_image(sample_images):
    report = report_for(sample_images, "good-minimal", instance_type="ml.c7g.large",
                        only=("image",))
    result = by_id(report)["image.arch"]
    assert result.status is Status.FAIL
    assert (result.measured, result.limit) == ("amd64", "arm64")


def test_an_exiting_container_is_judged_at_once(sample_images):
    report = report_for(sample_images, "broken-inference.startup", startup_timeout_s=60.0)
    startup = by_id(report)["inference.startup"]
    assert startup.status is Status.FAIL and startup.measured == 3
    assert "cannot load the model" in startup.logs
    assert report.duration_s < 30, "an exit is judged when it happens, not at the timeout"
    assert by_id(report)["inference.invocations"].status is Status.SKIP


def test_a_server_listening_elsewhere_is_judged_once_stuck(sample_images):
    report = report_for(sample_images, "broken-inference.port", **BROKEN_OVERRIDES["inference.port"])
    port = by_id(report)["inference.port"]
    assert port.status is Status.FAIL and "0.0.0.0:8081" in port.message and "--settle-time" in port.message
    assert report.duration_s < 40, "an idle server on another port is stuck after the settle time"


def test_without_a_settle_time_elsewhere_is_judged_at_the_end_of_the_window(sample_images):
    report = report_for(sample_images, "broken-inference.port", settle_time_s=0.0,
                        **BROKEN_OVERRIDES["inference.port"])
    port = by_id(report)["inference.port"]
    assert port.status is Status.FAIL and "0.0.0.0:8081" in port.message
    assert by_id(report)["inference.startup"].status is Status.FAIL
    assert report.environment["platform_startup_window_s"] == 60.0
    assert 60 <= report.duration_s < 90


def test_a_shorter_wait_than_the_window_cannot_fail_the_port(sample_images):
    report = report_for(sample_images, "broken-inference.port", startup_timeout_s=3.0)
    results = by_id(report)
    assert results["inference.port"].status is Status.ERROR, results["inference.port"].message
    assert results["inference.startup"].status is Status.ERROR
    assert "480" in results["inference.startup"].message


def test_loopback_bind_is_reported_from_the_socket_table(sample_images):
    bind = by_id(report_for(sample_images, "broken-inference.bind"))["inference.bind"]
    assert bind.status is Status.FAIL and "127.0.0.1:8080" in bind.message


def test_ping_that_never_says_200_fails_on_evidence_and_is_not_judged_before_the_window(sample_images):
    """An idle server answering 404: once the same answer has held for the settle time, the
    start is stuck (evidence shown) and /ping fails. Cut short by --startup-timeout before
    any evidence, neither is judged: the platform would keep asking for 480 s."""
    stuck = by_id(report_for(sample_images, "good-minimal", env={"MS_PING_STATUS": "404"},
                             startup_timeout_s=30.0, settle_time_s=3.0))
    assert stuck["inference.ping"].status is Status.FAIL and stuck["inference.ping"].measured == 404
    assert stuck["inference.startup"].status is Status.FAIL and "stuck" in stuck["inference.startup"].details
    report = report_for(sample_images, "good-minimal", env={"MS_PING_STATUS": "404"},
                        startup_timeout_s=3.0, settle_time_s=0.0)
    results = by_id(report)
    assert results["inference.ping"].status is Status.SKIP and "--startup-timeout" in results["inference.ping"].message
    assert results["inference.startup"].status is Status.ERROR
    assert "480" in results["inference.startup"].message
    assert report.verdict == "fail", "a MUST check that errors fails the verdict"


def test_response_over_6_mib_fails_invocations(sample_images):
    report = report_for(sample_images, "good-minimal", env={"MS_RESPONSE_PAD_BYTES": "6291457"},
                        only=("inference.invocations",))
    result = by_id(report)["inference.invocations"]
    assert result.status is Status.FAIL and result.measured > 6291456


def test_slow_starter_and_slow_model_within_limits_pass(sample_images):
    report = report_for(sample_images, "good-minimal",
                        env={"MS_STARTUP_DELAY_S": "3", "MS_INVOKE_DELAY_S": "1.0"})
    results = by_id(report)
    assert report.verdict == "pass", {r.id: r.message for r in report.results if r.status is not Status.PASS}
    assert results["inference.startup"].measured >= 3.0
    assert results["inference.invocations"].measured >= 1.0


def test_without_payload_invocation_checks_skip_with_reason(sample_images):
    report = report_for(sample_images, "good-minimal", payload=None,
                        only=("inference.invocations", "inference.concurrency"))
    for result in report.results:
        assert result.status is Status.SKIP and "payload" in result.message
