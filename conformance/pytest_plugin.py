"""pytest plugin (entry point pytest11): `pytest --sagemaker-image IMAGE` turns every
registered check into a test item named by its id, so -k, -x and --junitxml work per
check; the fixture `sagemaker_endpoint` gives users' own tests a running container."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator, Optional

import pytest

from .checks import select
from .config import (PLATFORM_STARTUP_WINDOW_S, RunConfig, TrainingSettings, parse_channels,
                     parse_duration, parse_env_pairs, read_json_object)
from .load.runner import LoadSettings
from .errors import ConformanceError
from .model import CheckResult, CheckSpec, Mode, gate

RESULTS = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sagemaker-conformance")
    group.addoption("--sagemaker-image", help="run SageMaker conformance checks on this image")
    group.addoption("--sagemaker-payload", type=Path, help="a file holding one request body")
    group.addoption("--sagemaker-content-type", default="application/octet-stream")
    group.addoption("--sagemaker-accept", default="*/*")
    group.addoption("--sagemaker-model", type=Path, help="model directory or model.tar.gz")
    group.addoption("--sagemaker-env", action="append", default=[], metavar="KEY=VALUE")
    group.addoption("--sagemaker-instance-type", default="ml.m5.large")
    group.addoption("--sagemaker-startup-window", type=float, default=PLATFORM_STARTUP_WINDOW_S,
                    help="ContainerStartupHealthCheckTimeoutInSeconds (60-3600), judged against")
    group.addoption("--sagemaker-startup-timeout", type=float, help="wait less than the window")
    group.addoption("--sagemaker-stop-timeout", type=float, help="grace after SIGTERM")
    group.addoption("--sagemaker-strict", action="store_true", help="SHOULD failures fail")
    group.addoption("--sagemaker-mode", default="serve", choices=["serve", "train"])
    group.addoption("--sagemaker-channel", action="append", default=[], metavar="NAME=FOLDER")
    group.addoption("--sagemaker-hyperparameters", type=Path, metavar="FILE")
    group.addoption("--sagemaker-instance-count", type=int, default=1)
    group.addoption("--sagemaker-load", action="store_true", help="also run the load checks (locust)")
    group.addoption("--sagemaker-users", type=int, default=10)
    group.addoption("--sagemaker-duration", default="30s")
    group.addoption("--sagemaker-p99-ms", type=float)
    group.addoption("--sagemaker-max-error-rate", type=float, default=0.01)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sagemaker: a SageMaker conformance check item")


def run_config(config: pytest.Config, only: tuple = ()) -> Optional[RunConfig]:
    image = config.getoption("--sagemaker-image")
    if not image:
        return None
    mode = config.getoption("--sagemaker-mode")
    training = TrainingSettings(
        channels=parse_channels(config.getoption("--sagemaker-channel")),
        hyperparameters=read_json_object(config.getoption("--sagemaker-hyperparameters"), "hyperparameters") or {},
        instance_count=config.getoption("--sagemaker-instance-count")) if mode == "train" else None
    return RunConfig(
        image=image, mode=mode, training=training, payload=config.getoption("--sagemaker-payload"),
        content_type=config.getoption("--sagemaker-content-type"),
        accept=config.getoption("--sagemaker-accept"), model=config.getoption("--sagemaker-model"),
        env=parse_env_pairs(config.getoption("--sagemaker-env")),
        instance_type=config.getoption("--sagemaker-instance-type"),
        startup_timeout_s=config.getoption("--sagemaker-startup-timeout"),
        startup_window_s=config.getoption("--sagemaker-startup-window"),
        stop_timeout_s=config.getoption("--sagemaker-stop-timeout"),
        strict=config.getoption("--sagemaker-strict"), only=only, load=_load(config))


def _load(config: pytest.Config) -> Optional[LoadSettings]:
    if not config.getoption("--sagemaker-load"):
        return None
    users = config.getoption("--sagemaker-users")
    return LoadSettings(users=users, spawn_rate=float(users),
                        duration_s=parse_duration(config.getoption("--sagemaker-duration")),
                        p99_ms=config.getoption("--sagemaker-p99-ms"),
                        max_error_rate=config.getoption("--sagemaker-max-error-rate"))


class ConformanceCollector(pytest.Collector):
    def collect(self) -> list:
        return []


class CheckFailed(Exception):
    pass


class CheckItem(pytest.Item):
    def __init__(self, *, spec: CheckSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.add_marker("sagemaker")

    def runtest(self) -> None:
        outcome = _results(self.session)
        if isinstance(outcome, ConformanceError):
            raise CheckFailed(str(outcome))
        result: CheckResult = outcome[self.name]
        if result.logs:
            self.add_report_section("call", "container logs", result.logs)
        outcome = gate(result, self.config.getoption("--sagemaker-strict"))
        if outcome == "skip":
            pytest.skip(result.message)
        if outcome == "fail":
            raise CheckFailed(_describe(result))
        if outcome == "warn":
            warnings.warn(_describe(result), UserWarning)

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"sagemaker: {self.name}"


def _describe(result: CheckResult) -> str:
    measured = "" if result.measured is None else f"\nmeasured: {result.measured} {result.unit} (limit {result.limit} {result.unit})"
    return (f"{result.id} [{result.severity.value}] {result.status.value}: {result.message}{measured}"
            f"\nfix: {result.remediation}\nsource: {result.source}")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    try:
        base = run_config(config)
        if base is None:
            return
        specs = select(Mode(base.mode), options=base.options)
        base.validate()
    except ConformanceError as exc:   # bad options: a usage error, never INTERNALERROR
        raise pytest.UsageError(f"sagemaker-conformance: {exc}") from None
    parent = ConformanceCollector.from_parent(session, name="sagemaker-conformance")
    items[:0] = [CheckItem.from_parent(parent, name=spec.id, spec=spec) for spec in specs]


def _results(session: pytest.Session):
    """Run the engine once, at the first item, for the ids that survived deselection."""
    if RESULTS not in session.config.stash:
        from contextlib import closing

        from .engine import run
        from .events import RunFinished
        ids = tuple(i.name for i in session.items if isinstance(i, CheckItem))
        try:
            with closing(run(run_config(session.config, only=ids))) as events:
                report = next(e.report for e in events if isinstance(e, RunFinished))
        except ConformanceError as exc:
            session.config.stash[RESULTS] = exc
        else:   # an engine failure is kept once and reported by every item, not rerun
            session.config.stash[RESULTS] = (ConformanceError(report.error) if report.error
                                             else {r.id: r for r in report.results})
    return session.config.stash[RESULTS]


@pytest.fixture(scope="session")
def sagemaker_run_config(pytestconfig: pytest.Config) -> RunConfig:
    """Override to start another image or with other settings."""
    config = run_config(pytestconfig)
    if config is None:
        pytest.fail("sagemaker_endpoint needs --sagemaker-image (or override sagemaker_run_config)")
    return config


@pytest.fixture(scope="session")
def sagemaker_endpoint(sagemaker_run_config: RunConfig) -> Iterator:
    """A healthy container started as SageMaker starts it: .base_url, .logs(), .container."""
    from .engine.endpoint import serving_endpoint
    with serving_endpoint(sagemaker_run_config) as endpoint:
        yield endpoint
