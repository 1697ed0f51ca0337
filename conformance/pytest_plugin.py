"""pytest plugin (entry point pytest11): `pytest --sagemaker-image IMAGE` turns every
registered check into a test item named by its id, so -k, -x, --collect-only and
--junitxml work per check. The items are collected from a real file, the package's
`sagemaker.checks` (added to pytest's arguments), so a node id can be pasted back to rerun
one check. The fixture `sagemaker_endpoint` gives users' own tests a running container (or
the --sagemaker-target). Several images (`--sagemaker-image A,B`) give one collector per
image (`…::IMAGE::ID`) and one run per image; under xdist that run is shared by every
worker (a lock and a result file per image), so `-n 4` never runs an image twice, and
`--dist loadscope` keeps each image's items on one worker. SHOULD findings are warnings
of their own category, SageMakerShouldWarning, recorded even under `filterwarnings = error`."""
from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path
from typing import Iterator, Optional

import pytest

from .checks import select
from .config import RunConfig
from .errors import ConformanceError
from .options import OPTIONS
from .settings import (Setting, env_layer, export_locustfile_if_asked, find_pyproject, flag_layer,
                       pyproject_layer, report_targets, resolve)
from .settings import run_config as settings_run_config
from .model import CheckResult, CheckSpec, gate

ANCHOR = Path(__file__).with_name("sagemaker.checks")
RUN_ID = "run_id"   # the key of a run's id among its results (no check id is this)
NODE_ID = "sagemaker-conformance"   # how the anchor's items are named: sagemaker-conformance::<check id>
RESULTS = pytest.StashKey[dict]()
SPECS = pytest.StashKey[tuple]()   # (images, the selected checks), set before collection
SETTINGS = pytest.StashKey[dict]()
UNWRITTEN = pytest.StashKey[list]()
PREFIX = "--sagemaker-"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Every option of options.OPTIONS as --sagemaker-NAME and as the ini key sagemaker_KEY."""
    group = parser.getgroup("sagemaker-conformance")
    for option in OPTIONS:
        text = option.describe()
        if option.kind == "bool":
            group.addoption(PREFIX + option.name, dest="sagemaker_" + option.key, default=None,
                            action=argparse.BooleanOptionalAction, help=text)
        else:
            group.addoption(PREFIX + option.name, dest="sagemaker_" + option.key, default=None,
                            action="append" if option.accepts_many else "store", help=text)
        parser.addini("sagemaker_" + option.key, text, type="linelist" if option.repeatable else "string")


class SageMakerShouldWarning(UserWarning):
    """A SHOULD rule the image breaks: reported, never failing the gate (see --sagemaker-strict)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sagemaker: a SageMaker conformance check item")
    try:
        wanted = bool(images(config))
    except ConformanceError:
        wanted = True   # the bad option is reported at collection, as a usage error
    for index, arg in enumerate(config.args):   # a node id pasted back names the anchor file
        if arg == NODE_ID or arg.startswith(NODE_ID + "::"):   # (after rootdir was found: it stays yours)
            config.args[index] = str(ANCHOR) + arg[len(NODE_ID):]
    if wanted and not any(arg.split("::")[0] and Path(arg.split("::")[0]).resolve() == ANCHOR
                          for arg in config.args):
        config.args.append(str(ANCHOR))


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """The options checked before anything is collected: a bad one is a usage error
    (exit 4), never a collection error or an INTERNALERROR."""
    config = session.config
    try:
        names = images(config)
        if not names:
            return
        base = run_config(config, names[0])
        specs = select(base.check_mode, base.only, base.skip, options=base.options)
        for image in names:
            run_config(config, image).validate()
        export_locustfile_if_asked(plugin_settings(config), base)
    except ConformanceError as exc:
        raise pytest.UsageError(f"sagemaker-conformance: {exc}") from None
    config.stash[SPECS] = (names, specs)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path == ANCHOR:
        return ChecksFile.from_parent(parent, path=file_path, nodeid=NODE_ID)
    return None


def plugin_settings(config: pytest.Config) -> dict:
    """flag > SMC_* variable > ini key > [tool.sagemaker-conformance] > default."""
    if SETTINGS not in config.stash:
        given = {o.name: config.getoption("sagemaker_" + o.key) for o in OPTIONS}
        base = config.inipath.parent if config.inipath else config.rootpath
        config.stash[SETTINGS] = resolve(flag_layer(given, PREFIX), env_layer(os.environ),
                                         _ini_layer(config, base),
                                         pyproject_layer(find_pyproject(config.rootpath)))
    return config.stash[SETTINGS]


def _ini_layer(config: pytest.Config, base: Path) -> dict:
    layer = {}
    for option in OPTIONS:
        raw = config.getini("sagemaker_" + option.key)
        if raw not in ("", [], None):
            origin = f"ini sagemaker_{option.key}"
            layer[option.name] = Setting(option.parse(raw, origin, base=base), origin)
    return layer


def images(config: pytest.Config) -> tuple:
    """The images to check; a --sagemaker-target without an image is named by its address."""
    settings = plugin_settings(config)
    target = settings["target"].value
    return settings["image"].value or ((target,) if target else ())


def run_config(config: pytest.Config, image: str, only: Optional[tuple] = None) -> RunConfig:
    return settings_run_config(plugin_settings(config), only=only, image=image, derandomize=True)


class ChecksFile(pytest.File):
    """The anchor file: its children are the checks (one collector per image when several)."""

    def collect(self) -> list:
        names, specs = self.config.stash.get(SPECS, ((), []))
        if not names:
            return []
        if len(names) == 1:
            return [CheckItem.from_parent(self, name=spec.id, spec=spec, image=names[0]) for spec in specs]
        return [ImageCollector.from_parent(self, name=image, image=image, specs=specs) for image in names]


class ImageCollector(pytest.Collector):
    """One image's checks: the scope xdist's loadscope keeps together."""

    def __init__(self, *, image: str, specs: list, **kwargs) -> None:
        super().__init__(**kwargs)
        self.image, self.specs = image, specs

    def collect(self) -> list:
        return [CheckItem.from_parent(self, name=spec.id, spec=spec, image=self.image) for spec in self.specs]


class CheckFailed(Exception):
    pass


class CheckItem(pytest.Item):
    def __init__(self, *, spec: CheckSpec, image: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec, self.image = spec, image
        self.add_marker("sagemaker")

    def runtest(self) -> None:
        outcome = _results(self.session, self.image)
        if isinstance(outcome, ConformanceError):
            raise CheckFailed(str(outcome))
        result: CheckResult = outcome[self.spec.id]
        self.user_properties.append(("sagemaker_run_id", outcome[RUN_ID]))   # one run per image
        if result.logs:
            self.add_report_section("call", "container logs", result.logs)
        settings = plugin_settings(self.config)
        outcome = gate(result, settings["strict"].value, settings["require-complete"].value)
        if outcome == "skip":
            pytest.skip(result.message)
        if outcome == "fail":
            raise CheckFailed(_describe(result))
        if outcome == "warn":   # recorded by pytest, never raised (not even by filterwarnings = error)
            with warnings.catch_warnings():
                warnings.simplefilter("always", SageMakerShouldWarning)
                warnings.warn(_describe(result), SageMakerShouldWarning)

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


def _results(session: pytest.Session, image: str):
    """Run the engine once per image, at its first item, for its ids that survived
    deselection; an engine failure is kept and reported by each of its items, not rerun.
    Under xdist every worker holds the same selected items: the first to need the image
    runs it, the others wait for its results (plugin_share.py)."""
    done = session.config.stash.setdefault(RESULTS, {})
    if image not in done:
        from .plugin_share import shared_run
        ids = tuple(i.spec.id for i in session.items if isinstance(i, CheckItem) and i.image == image)
        done[image] = shared_run(session.config, image, lambda: _run_engine(session, image, ids))
    return done[image]


def _run_engine(session: pytest.Session, image: str, ids: tuple):
    """{id: CheckResult}, or the ConformanceError that kept the run from judging the image."""
    from contextlib import closing

    from .engine import run
    from .events import RunFinished
    from .reporters import write_reports
    try:
        with closing(run(run_config(session.config, image, only=ids))) as events:
            report = next(e.report for e in events if isinstance(e, RunFinished))
    except ConformanceError as exc:
        return exc
    several = len(images(session.config)) > 1
    targets = report_targets(plugin_settings(session.config), image if several else "")
    session.config.stash.setdefault(UNWRITTEN, []).extend(write_reports(report, targets))
    return ConformanceError(report.error) if report.error else {RUN_ID: report.run_id,
                                                                **{r.id: r for r in report.results}}


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    for problem in config.stash.get(UNWRITTEN, []):
        terminalreporter.write_line(f"sagemaker-conformance: cannot write the report {problem}", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.stash.get(UNWRITTEN, []) and exitstatus == 0:   # never green without the report
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


@pytest.fixture(scope="session")
def sagemaker_run_config(pytestconfig: pytest.Config) -> RunConfig:
    """Override to start another image or with other settings."""
    names = images(pytestconfig)
    if len(names) != 1:
        pytest.fail("sagemaker_endpoint needs one --sagemaker-image (or override sagemaker_run_config)")
    return run_config(pytestconfig, names[0])


@pytest.fixture(scope="session")
def sagemaker_endpoint(sagemaker_run_config: RunConfig) -> Iterator:
    """A healthy container started as SageMaker starts it: .base_url, .logs(), .container;
    with --sagemaker-target, that endpoint (no container: .container is None, .logs() empty)."""
    from .engine import healthy_endpoint
    with healthy_endpoint(sagemaker_run_config) as started:
        yield started
