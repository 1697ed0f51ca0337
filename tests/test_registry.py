"""The registry's contract: ids are public API, so each is dotted, unique, sourced,
remediated, and lives in the file its first two segments name."""
from __future__ import annotations

import re

from conformance.checks import all_checks, select
from conformance.model import Mode, Phase


PACKAGES = {"async": "asynchronous"}   # `async` is a Python keyword


def test_ids_are_dotted_and_documented():
    for spec in all_checks():
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", spec.id), spec.id
        assert spec.title and spec.source and spec.remediation.endswith("."), spec.id
        area, topic = spec.id.split(".")[:2]
        module = spec.fn.__module__.split(".")
        assert module[-2] == PACKAGES.get(area, area), spec.id
        # image.* rules are grouped by what they read (entrypoint, metadata)
        assert topic.replace("-", "_") == module[-1] or area == "image", spec.id


def test_issue_prefixes_are_registered():
    ids = {spec.id for spec in all_checks()}
    for wanted in ("inference.startup", "inference.port", "inference.bind", "inference.accept",
                   "inference.ping", "inference.ping.latency", "inference.ping.truth",
                   "inference.invocations", "inference.errors", "inference.concurrency",
                   "lifecycle.sigterm", "inference.headers"):
        assert wanted in ids


def test_phases_order_static_before_startup_before_live():
    phases = [spec.phase for spec in all_checks()]
    assert phases == sorted(phases)
    live = [s.id for s in all_checks() if s.phase is Phase.LIVE]
    assert live[0] == "inference.ping.truth", "truth must be judged right after the first healthy ping"


def test_select_takes_prefixes():
    ids = [s.id for s in select(Mode.SERVE, only=("inference.ping",))]
    assert ids == ["inference.ping", "inference.ping.latency", "inference.ping.truth", "inference.ping.post"]
    assert "inference.errors.status" not in [s.id for s in select(Mode.SERVE, skip=("inference.errors",))]


def test_every_built_in_check_says_which_release_it_appeared_in():
    """since.py is the rules' release notes: a new check must be added there, and the table
    names only checks that exist, each once, in releases up to this one."""
    from conformance import __version__
    from conformance.since import INTRODUCED

    def key(version: str) -> tuple:
        return tuple(int(part) for part in version.split("."))

    built_in = {s.id: s for s in all_checks() if s.origin == "sagemaker-conformance"}
    listed = [i for ids in INTRODUCED.values() for i in ids]
    assert len(listed) == len(set(listed)), "a check is listed in two releases"
    assert set(listed) == set(built_in), (set(built_in) - set(listed), set(listed) - set(built_in))
    assert all(key(v) <= key(__version__) for v in INTRODUCED)
    assert built_in["image.gpu.no-drivers"].since == "0.2.0" and built_in["inference.ping"].since == "0.1.0"
