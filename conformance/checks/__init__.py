"""The one registry of checks. A check is declared with @check next to its rule; its id
is public API (reports, allow-lists, pytest item names). Other packages add checks through
the entry-point group `sagemaker_conformance.checks`: each entry point names a module that
declares its checks with the same @check (see examples/org-checks)."""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable, Iterable

from ..errors import CheckPluginError, DuplicateCheckId, UsageError
from ..model import CheckSpec, Mode, Phase, Severity

_REGISTRY: dict[str, CheckSpec] = {}
_ORDER = [0]
_LOADED: list = []
_ORIGIN = ["sagemaker-conformance"]   # who is registering now: this package, or a plugin's
ENTRY_POINT_GROUP = "sagemaker_conformance.checks"


def check(*, id: str, title: str, severity: Severity, phase: Phase, source: str,
          remediation: str, modes: Iterable[Mode] = (Mode.SERVE,),
          needs_healthy: bool | None = None, priority: int = 50,
          option: str | None = None, severities: dict | None = None, remote: bool = False,
          each_container: bool = False) -> Callable:
    """needs_healthy defaults to True for LIVE and later phases: those checks skip when
    the server never became healthy. remote=True: the check needs nothing but HTTP, so it
    also runs on a --target the tool did not start (the others say they could not measure).
    each_container=True: a rule of every hosted container, so in a pipeline it is judged
    once per container and reported once, naming the containers that break it."""
    if needs_healthy is None:
        needs_healthy = phase >= Phase.LIVE
    def register(fn: Callable) -> Callable:
        if id in _REGISTRY:
            message = f"{id} already registered by {_REGISTRY[id].fn.__module__}"
            if _ORIGIN[0] != "sagemaker-conformance":
                raise CheckPluginError(f"{_ORIGIN[0]}: check id {message}",
                                       "give the plugin's checks ids of their own (e.g. org.*)")
            raise DuplicateCheckId(message)
        _ORDER[0] += 1
        _REGISTRY[id] = CheckSpec(id, title, severity, frozenset(modes), phase,
                                  priority * 10000 + _ORDER[0],
                                  source, remediation, needs_healthy, fn, option,
                                  tuple((severities or {}).items()), _ORIGIN[0], remote, each_container)
        return fn
    return register


def _load_builtins() -> None:
    for area in ("image", "inference", "load", "lifecycle", "training", "distributed", "fuzz",
                 "streaming", "serverless", "asynchronous", "batch", "pipeline", "mme"):
        package = importlib.import_module(f"{__name__}.{area}")
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
    _load_plugins()


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


def all_checks(mode: Mode | None = None) -> list[CheckSpec]:
    if not _LOADED:   # not "registry empty": importing one check module must not stop the rest loading
        _load_builtins()   # a plugin that fails raises here, and again on the next call
        _LOADED.append(True)
    specs = [s for s in _REGISTRY.values() if mode is None or mode in s.modes or mode.base in s.modes]
    return sorted(specs, key=lambda s: (s.phase, s.order))


def get(check_id: str) -> CheckSpec:
    all_checks()
    return _REGISTRY[check_id]


def select(mode: Mode, only: Iterable[str] = (), skip: Iterable[str] = (),
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
