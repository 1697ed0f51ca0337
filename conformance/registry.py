"""The one registry: checks, modes, and the measurements and report sections that modes
and features supply. A check is declared with @check next to its rule; its id is public
API (reports, allow-lists, pytest item names). A mode is a folder under modes/ that
registers a ModeSpec; a feature (fuzz, load, stream) is a folder under features/. Nothing
here or in the engine names a mode: they are found by importing every package under
checks/, modes/ and features/, then the entry-point group `sagemaker_conformance.checks`
(each entry point names a module that declares its checks with the same @check, see
examples/org-checks)."""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional

from .errors import CheckPluginError, DuplicateCheckId, UsageError
from .model import CheckSpec, Phase, Severity

_REGISTRY: dict[str, CheckSpec] = {}
_ORDER = [0]
_LOADED: list = []
_ORIGIN = ["sagemaker-conformance"]   # who is registering now: this package, or a plugin's
ENTRY_POINT_GROUP = "sagemaker_conformance.checks"
# What a check can declare it needs (@check(needs=...)); when the run lacks it, the engine
# skips the check with this reason instead of each check testing for it.
NEEDS = {"payload": "no --payload given",
         "files": "no container of the image was created to read its files (a --target)"}
# What a check id looks like: public API, and the report's JSON schema refuses any other.
CHECK_ID = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")


def check(*, id: str, title: str, severity: Severity, phase: Phase, source: str,
          remediation: str, modes: Iterable[str] = ("serve",),
          needs_healthy: bool | None = None, priority: int = 50,
          option: str | None = None, severities: dict | None = None, remote: bool = False,
          each_container: bool = False, needs: Iterable[str] = ()) -> Callable:
    """needs_healthy defaults to True for LIVE and later phases: those checks skip when
    the server never became healthy. remote=True: the check needs nothing but HTTP, so it
    also runs on a --target the tool did not start (the others say they could not measure).
    each_container=True: a rule of every hosted container, so in a pipeline it is judged
    once per container and reported once, naming the containers that break it.
    needs: names from NEEDS ("payload"): without it the check is skipped with its reason."""
    unknown = sorted(set(needs) - set(NEEDS))
    if unknown:
        raise ValueError(f"check {id}: unknown needs {unknown}; known: {sorted(NEEDS)}")
    if needs_healthy is None:
        needs_healthy = phase >= Phase.LIVE
    def register(fn: Callable) -> Callable:
        if not CHECK_ID.fullmatch(str(id)):
            message = (f"check id {id!r} is not of the form area.topic[.rule] (lower-case letters, "
                       f"digits and dashes, e.g. org.image.source-label)")
            if _ORIGIN[0] != "sagemaker-conformance":
                raise CheckPluginError(f"{_ORIGIN[0]}: {message}", "rename the check")
            raise ValueError(message)
        if id in _REGISTRY:
            message = f"{id} already registered by {_REGISTRY[id].fn.__module__}"
            if _ORIGIN[0] != "sagemaker-conformance":
                raise CheckPluginError(f"{_ORIGIN[0]}: check id {message}",
                                       "give the plugin's checks ids of their own (e.g. org.*)")
            raise DuplicateCheckId(message)
        _ORDER[0] += 1
        _REGISTRY[id] = CheckSpec(id, title, severity, frozenset(map(_name, modes)), phase,
                                  priority * 10000 + _ORDER[0],
                                  source, remediation, needs_healthy, fn, option,
                                  tuple((severities or {}).items()), _ORIGIN[0], remote, each_container,
                                  tuple(needs))
        return fn
    return register


BUILTIN_PACKAGES = ("conformance.modes", "conformance.features", "conformance.checks")


def _load_builtins() -> None:
    """Every mode and feature package, then every module of every checks/ area."""
    for root in BUILTIN_PACKAGES:
        package = importlib.import_module(root)
        areas = [importlib.import_module(f"{root}.{info.name}")
                 for info in pkgutil.iter_modules(package.__path__) if info.ispkg]
        for area in sorted(areas, key=lambda a: (getattr(a, "ORDER", 1000), a.__name__)):
            if root.endswith(".checks"):   # every module: its @check calls register its checks
                for module in pkgutil.iter_modules(area.__path__):
                    importlib.import_module(f"{area.__name__}.{module.name}")


def _load_plugins() -> None:
    """Import each module named in the entry-point group; its @check calls register its
    checks with the distribution's name and version as their origin."""
    from importlib.metadata import entry_points
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = entry.dist
        _ORIGIN[0] = f"{dist.name} {dist.version}" if dist is not None else entry.value
        try:
            entry.load()
        except CheckPluginError:
            raise
        except Exception as exc:   # a broken plugin is an environment error, not a traceback
            raise CheckPluginError(f"cannot load checks from {_ORIGIN[0]} (entry point {entry.name} = "
                                   f"{entry.value}): {type(exc).__name__}: {exc}",
                                   f"fix or uninstall {dist.name if dist else entry.value}") from None
        finally:
            _ORIGIN[0] = "sagemaker-conformance"


def load(plugins: bool = True) -> None:
    """Import the built-in packages once, then (unless `plugins` is False) the plugins: a
    plugin that fails raises here, and again on the next call. Options and modes need no
    plugin, so that a broken plugin is a usage error of the run, not of the import."""
    if "builtins" not in _LOADED:   # not "registry empty": one check module must not stop the rest
        _load_builtins()
        _LOADED.append("builtins")
    if plugins and "plugins" not in _LOADED:
        _load_plugins()
        _LOADED.append("plugins")


def all_checks(mode: str | None = None) -> list[CheckSpec]:
    load()
    wanted = None if mode is None else {mode, *mode_spec(mode).bases()}
    specs = [s for s in _REGISTRY.values() if wanted is None or wanted & s.modes]
    return sorted(specs, key=lambda s: (s.phase, s.order))


def get(check_id: str) -> CheckSpec:
    all_checks()
    return _REGISTRY[check_id]


def select(mode: str, only: Iterable[str] = (), skip: Iterable[str] = (),
           options: Iterable[str] = ()) -> list[CheckSpec]:
    """Checks of a mode, narrowed by id or id prefix (`inference.ping` takes its children);
    a check declared with option=X runs only when X is among `options` (e.g. "load")."""
    enabled = set(options)
    specs = [s for s in all_checks(mode) if s.option is None or s.option in enabled]
    only, skip = list(only), list(skip)
    known = {s.id for s in specs}
    for pattern in only + skip:
        if not any(_matches(i, pattern) for i in known):
            raise UsageError(f"no check matches {pattern!r}", "see `sagemaker-conformance list-checks`")
    if only:
        specs = [s for s in specs if any(_matches(s.id, p) for p in only)]
    return [s for s in specs if not any(_matches(s.id, p) for p in skip)]


def _matches(check_id: str, pattern: str) -> bool:
    return check_id == pattern or check_id.startswith(pattern + ".")


def _name(mode: Any) -> str:
    """A mode as the registry keys it: its name (model.Mode members are names too)."""
    return str(getattr(mode, "value", mode))


@dataclass(frozen=True)
class ModeSpec:
    """One way the platform runs an image, registered by its folder under modes/.
    `build` turns the resolved option values into the mode's settings (a
    config.ModeSettings); `driver` gives the engine the class that starts the run
    (engine/driver.py's protocol) for a config; `declares` are the options the mode
    declares (option_spec.Option, in modes/<mode>/options.py: every front gets them),
    and given in another mode they are a usage error unless `refused_elsewhere` is False."""
    name: str                          # the registry's name: checks declare modes=(name,)
    title: str
    build: Callable[[Mapping[str, Any]], Any]
    driver: Callable[[Any], type]
    base: Optional[str] = None         # the checks of this mode also run here ("serve")
    declares: tuple = ()
    refused_elsewhere: bool = True
    choosable: bool = True             # a value of --mode (a pipeline is chosen with --pipeline)
    chosen_by: Optional[Callable[[Mapping[str, Any]], bool]] = None   # options that select it instead
    order: int = 100                   # where --mode lists it

    @property
    def options(self) -> tuple:
        """The names of the options only this mode takes."""
        return tuple(o.name for o in self.declares) if self.refused_elsewhere else ()

    def bases(self) -> tuple:
        found, spec = [], self
        while spec.base is not None:
            found.append(spec.base)
            spec = _MODES[spec.base]
        return tuple(found)


_MODES: dict[str, ModeSpec] = {}


def _enter(table: dict, name: str, value: Any, kind: str) -> Any:
    """Register `value` under `name` once (a mode, a feature, a measurement)."""
    if name in table:
        raise DuplicateCheckId(f"{kind} {name} registered twice")
    table[name] = value
    return value


def _in_order(table: dict) -> list:
    load(plugins=False)
    return sorted(table.values(), key=lambda spec: (spec.order, spec.name))


def mode(spec: ModeSpec) -> ModeSpec:
    return _enter(_MODES, spec.name, spec, "mode")


def modes() -> list[ModeSpec]:
    return _in_order(_MODES)


def registered_modes() -> tuple:
    """The names of the modes registered so far, without loading anything: for a check of
    every mode (modes/ is imported before checks/)."""
    return tuple(_MODES)


def mode_spec(name: str) -> ModeSpec:
    load(plugins=False)
    try:
        return _MODES[_name(name)]
    except KeyError:
        raise UsageError(f"mode {name!r} is not supported",
                         f"use --mode {' | '.join(mode_names())}") from None


def mode_names() -> tuple:
    """The values of --mode."""
    return tuple(spec.name for spec in modes() if spec.choosable)


def chosen_mode(values: Mapping[str, Any]) -> ModeSpec:
    """The mode the resolved options choose: one selected by its own options (a
    pipeline), else the one --mode names."""
    picked = [spec for spec in modes() if spec.chosen_by is not None and spec.chosen_by(values)]
    return picked[0] if picked else mode_spec(values["mode"])


@dataclass(frozen=True)
class FeatureSpec:
    """Something a run may add to a serving mode (fuzz, load, stream), registered by its
    folder under features/. `declares` are its options (features/<name>/options.py);
    `build(values, derandomize)` turns the resolved option values into the RunConfig
    field `name` (None, or False, when the run does not ask for the feature)."""
    name: str
    title: str
    build: Callable[[Mapping[str, Any], bool], Any]
    declares: tuple = ()
    order: int = 100


_FEATURES: dict[str, FeatureSpec] = {}


def feature(spec: FeatureSpec) -> FeatureSpec:
    return _enter(_FEATURES, spec.name, spec, "feature")


def features() -> list[FeatureSpec]:
    return _in_order(_FEATURES)


# Measurements a mode or a feature adds to the shared probes (engine/probes.py): each is
# a function of the Probes, taken once per run when a check first asks for it.
_MEASUREMENTS: dict[str, Callable] = {}


def measurement(name: str) -> Callable:
    return lambda fn: _enter(_MEASUREMENTS, name, fn, "measurement")


def measurement_of(name: str) -> Callable:
    load(plugins=False)
    return _MEASUREMENTS[name]


# Report sections: functions of (the run's results, its probes or None) that give a
# model.Section or None, supplied by modes and features; reporters render every section
# alike (model.Section), so a new mode's report needs no reporter change.
_SECTIONS: list[Callable] = []


def section(fn: Callable) -> Callable:
    _SECTIONS.append(fn)
    return fn


def sections() -> list[Callable]:
    load(plugins=False)
    return list(_SECTIONS)
