"""Resolve every option of options.OPTIONS from its sources, highest first: a flag, an
SMC_* variable, a pytest ini key (plugin only), the [tool.sagemaker-conformance] table of
the nearest pyproject.toml, the default. Then build the RunConfig the engine reads."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from . import registry
from .config import RunConfig
from .errors import UsageError
from .features.load.options import load_settings
from .options import BY_KEY, BY_NAME, OPTIONS

if sys.version_info >= (3, 11):
    import tomllib
else:   # pragma: no cover - declared as a dependency for 3.10
    import tomli as tomllib

TABLE = "sagemaker-conformance"


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str     # "--users", "SMC_USERS", "pyproject.toml", "default"


Layer = dict   # option name -> Setting


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml from `start` up to the repository's root (the folder with
    .git), never above it: a monorepo's or /tmp's pyproject.toml is not this project's.
    Outside a repository only `start` itself is looked at."""
    start = start.resolve()
    folders = [start, *start.parents]
    root = next((i for i, folder in enumerate(folders) if (folder / ".git").exists()), None)
    for folder in folders[: (root + 1) if root is not None else 1]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def pyproject_layer(path: Optional[Path]) -> Layer:
    """[tool.sagemaker-conformance] of `path`; relative paths are from its folder."""
    if path is None:
        return {}
    try:
        tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}", "pyproject.toml is TOML in UTF-8") from None
    table = tool.get(TABLE, {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.{TABLE}] must be a table of options, not {table!r:.60}",
                         "see `sagemaker-conformance config` for every option")
    layer: Layer = {}
    for key, value in table.items():
        option = BY_NAME.get(key) or BY_KEY.get(key)
        if option is None:
            raise UsageError(f"unknown key {key!r} in [tool.{TABLE}] of {path}",
                             "see `sagemaker-conformance config` for every option")
        origin = f"{path} [tool.{TABLE}]"
        layer[option.name] = Setting(option.parse(value, origin, base=path.parent), str(path))
    return layer


def env_layer(environ: Mapping[str, str]) -> Layer:
    """SMC_<OPTION> variables; an empty one counts as unset (an Action input left blank)."""
    layer: Layer = {}
    for option in OPTIONS:
        text = environ.get(option.env, "")
        if text.strip():
            layer[option.name] = Setting(option.parse(text, option.env), option.env)
    return layer


def flag_layer(given: Mapping[str, Any], prefix: str = "--") -> Layer:
    """Flags actually given (name -> raw value); None and [] mean not given."""
    layer: Layer = {}
    for name, value in given.items():
        if value is None or value == []:
            continue
        flag = ("--no-" + prefix[2:] if value is False else prefix) + name   # --no-strict
        flag = "IMAGE argument" if flag == "--image" else flag
        layer[name] = Setting(BY_NAME[name].parse(value, flag), flag)
    return layer


def resolve(*layers: Layer) -> dict[str, Setting]:
    """The first layer that sets an option wins; else its default."""
    settings = {}
    for option in OPTIONS:
        found = next((layer[option.name] for layer in layers if option.name in layer), None)
        settings[option.name] = found or Setting(option.default, "default")
    return settings


def resolve_for_cli(given: Mapping[str, Any], environ: Mapping[str, str] = os.environ,
                    cwd: Optional[Path] = None) -> dict[str, Setting]:
    return resolve(flag_layer(given), env_layer(environ),
                   pyproject_layer(find_pyproject(cwd or Path.cwd())))


def values(settings: Mapping[str, Setting]) -> dict[str, Any]:
    return {name: setting.value for name, setting in settings.items()}


def _path(text: Optional[str]) -> Optional[Path]:
    return None if text in (None, "") else Path(text)


def run_config(settings: Mapping[str, Setting], only: Optional[tuple] = None,
               image: Optional[str] = None, derandomize: bool = False) -> RunConfig:
    """The one RunConfig every front hands the engine, for one image (`image`, else the
    only one given). `only` narrows to exactly these ids (pytest -k); `derandomize`: fuzzing without a
    seed replays the same examples every run (the pytest plugin's default)."""
    v = values(settings)
    target, images = settings["target"], settings["image"]
    if target.value and images.value and target.source != images.source and not target.source.startswith("--"):
        raise UsageError(f"image {', '.join(images.value)} ({images.source}) was given beside the target "
                         f"{target.value} set in {target.source}: the image would not be checked",
                         "drop the target from that configuration, or give --target yourself")
    if settings["pipeline-mode"].source != "default" and not v["pipeline"]:
        raise UsageError("one image is not a pipeline: --pipeline-mode needs --pipeline IMAGE",
                         "a pipeline holds 2-15 containers (contract.md pipeline.size)")
    spec = registry.chosen_mode(v)
    for other in registry.modes():
        given = [n for n in other.options if settings[n].source != "default"]
        if given and other is not spec:
            flags = ", ".join(f"--{name}" for name in given)
            raise UsageError(f"{flags} {'applies' if len(given) == 1 else 'apply'} to "
                             + (f"--{other.declares[0].name}" if other.chosen_by else f"--mode {other.name}"))
    if image is None:   # a --target without an image is named by its address
        image = v["target"] if v["target"] and not v["image"] else one_image(v["image"])
    mode_settings = spec.build(v)
    config = RunConfig(
        image=image, mode_settings=mode_settings, payload=_path(v["payload"]),
        content_type=v["content-type"], accept=v["accept"],
        model=None if mode_settings.reads_models else serving_model(v["model"]),
        env=dict(v["env"] or ()), instance_type=v["instance-type"], memory=v["memory"] or None,
        cpus=v["cpus"], startup_window_s=_startup_window(settings, mode_settings.startup_window_s),
        startup_timeout_s=v["startup-timeout"], settle_time_s=v["settle-time"],
        network_isolation=v["network-isolation"],
        stop_timeout_s=v["stop-timeout"], strict=v["strict"],
        require_complete=v["require-complete"] or bool(v["certify"]), keep_log=bool(v["certify"]),
        only=v["checks"] if only is None else only, skip=v["skip"] if only is None else _children_left_out(only, mode_settings.mode),
        connect=v["connect"], target=v["target"] or None, artifacts_dir=Path(v["artifacts-dir"]),
        **{feature.name: feature.build(v, derandomize) for feature in registry.features()})
    if v["certify"]:
        _certifies_everything(config)
    return config


def _certifies_everything(config: RunConfig) -> None:
    """--certify judges every check of the mode: none left out by --checks, --skip or -k."""
    everything = registry.select(config.check_mode, options=config.options)
    chosen = {s.id for s in registry.select(config.check_mode, config.only, config.skip, config.options)}
    left_out = [s.id for s in everything if s.id not in chosen]
    if left_out:
        raise UsageError(f"--certify judges every check of the mode, but {len(left_out)} are left out "
                         f"({', '.join(left_out[:4])}{', ...' if len(left_out) > 4 else ''})",
                         "drop --checks and --skip (and pytest -k) from a certification run")


def _children_left_out(ids: tuple, mode: str) -> tuple:
    """Exact ids (the pytest items left after -k and the skip list): an id also names its
    children for `select`, so the children not among them are skipped by name."""
    chosen = set(ids)
    return tuple(s.id for s in registry.all_checks(mode) if s.id not in chosen
                 and any(s.id.startswith(i + ".") for i in chosen))


def _startup_window(settings: Mapping[str, Setting], fixed: Optional[float]) -> float:
    """The platform's window for the first healthy /ping, unless the mode fixes it: a
    serverless endpoint's is 3 minutes (contract.md serverless.startup, SLS)."""
    window = settings["startup-window"]
    if fixed is None:
        return window.value
    if window.source != "default":
        raise UsageError(f"{window.source}: the start-up window is fixed at {fixed:g} s in --mode "
                         f"{settings['mode'].value}", "leave startup-window out")
    return fixed


def one_image(images: tuple) -> str:
    if not images:
        raise UsageError("no image to check", "give IMAGE, SMC_IMAGE or `image` in "
                         f"[tool.{TABLE}] of pyproject.toml")
    if len(images) > 1:
        raise UsageError(f"{len(images)} images given ({', '.join(images)}); a run checks one",
                         "check several at once with pytest: --sagemaker-image A,B -n 4 --dist loadscope")
    return images[0]


def serving_model(models: tuple) -> Optional[Path]:
    """The one model of a single-model endpoint (/opt/ml/model); NAME=PATH is for --mode mme."""
    if not models:
        return None
    if len(models) > 1:
        raise UsageError(f"{len(models)} models given; one container serves one model at /opt/ml/model",
                         "give --model once, or use --mode mme with --model NAME=PATH per model")
    name, path = models[0]
    if name:
        raise UsageError(f"--model {name}={path} names a model of a multi-model endpoint",
                         "use --mode mme, or give the path alone")
    return Path(path)


REPORT_FILES = {"json": "report.json", "junit": "report.xml", "html": "report.html",
                "markdown": "summary.md"}


def report_targets(settings: Mapping[str, Setting], image: str = "") -> list[tuple[str, Path]]:
    """(format, path) for every report asked for: each given path, and all four in report-dir.
    With `image` (one of several), its name goes into each file name: report-IMAGE.json."""
    targets = [(fmt, Path(settings[fmt].value)) for fmt in REPORT_FILES if settings[fmt].value]
    for folder in (settings["report-dir"].value, settings["certify"].value):
        if folder:
            targets += [(fmt, Path(folder) / name) for fmt, name in REPORT_FILES.items()]
    if settings["certify"].value:
        targets.append(("evidence", Path(settings["certify"].value) / "evidence.json"))
    if image:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", image)
        targets = [(fmt, path.with_name(f"{path.stem}-{slug}{path.suffix}")) for fmt, path in targets]
    return targets


def export_locustfile_if_asked(settings: Mapping[str, Setting], config: RunConfig) -> Optional[Path]:
    target = _path(settings["export-locustfile"].value)
    if target is None:
        return None
    if config.payload is None:
        raise UsageError("export-locustfile needs a payload")
    from .features.load.export import export_locustfile
    try:
        export_locustfile(target, config.payload, config.content_type, config.accept,
                          config.load or load_settings(values(settings)))
    except OSError as exc:
        raise UsageError(f"cannot write the locustfile {target}: {exc.strerror or exc}") from None
    return target
