"""What an option is (Option: name, kind, help, the contract rule, default, choices) and
how each kind parses a value from a flag, a variable or a file. Low in the house: modes
and features declare their own options with it (modes/<mode>/options.py), and
options.py gathers every declaration into OPTIONS."""
from __future__ import annotations

import json
import math
import os
import shlex
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .errors import UsageError


def _text(value: Any) -> str:
    return str(value)


def _path(value: Any) -> str:
    """A file or folder name the file system can look up: no NUL, not too long (whether
    it exists is the option's own concern)."""
    text = str(value)
    if "\x00" in text:
        raise ValueError("expected a path without NUL characters")
    try:
        os.stat(text)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    except OSError as exc:   # ENAMETOOLONG, ELOOP, ...
        raise ValueError(f"expected a path the file system can look up ({exc.strerror})") from None
    return text


def _argv(value: Any) -> tuple:
    """A command line: a JSON array of strings, a list (pyproject, a repeated flag), or text
    split as a shell would ("python3 train.py --x 1")."""
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError as exc:
                raise ValueError(f"expected a JSON array of strings ({exc})") from None
            if not isinstance(items, list):
                raise ValueError("expected a JSON array of strings")
        else:
            try:
                items = shlex.split(text)
            except ValueError as exc:
                raise ValueError(f"expected a command line ({exc})") from None
    if not all(isinstance(item, str) for item in items):
        raise ValueError("expected strings only")
    return tuple(items)


def _entries(value: Any) -> tuple:
    """Whole entries, one per line or per repeated flag (no splitting at commas)."""
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    return tuple(text for text in (str(item).strip() for item in lines) if text)


def _folders(value: Any) -> tuple:
    """NAME=FOLDER pairs, each folder a path."""
    return tuple((name, _path(folder)) for name, folder in _pairs(value))


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not re.fullmatch(r"\s*-?\d+\s*", str(value)):
        raise ValueError("expected a whole number")
    return int(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(number):   # nan would make every wait endless, inf too
        raise ValueError("expected a finite number")
    return number


def _header(value: Any) -> str:
    """A header value as HTTP carries it: Latin-1, no CR, LF or other control characters."""
    text = str(value)
    if any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in text):
        raise ValueError("expected a header value without control characters (no CR or LF)")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError("expected a header value in Latin-1 (HTTP headers carry no other text)") from None
    return text


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _items(value: Any) -> tuple:
    """Comma-separated text, or a list of such texts (a repeated flag): ("a", "b")."""
    parts = value if isinstance(value, (list, tuple)) else [value]
    items = [item.strip() for part in parts for item in str(part).split(",")]
    return tuple(item for item in items if item)


def _pairs(value: Any) -> tuple:
    """KEY=VALUE lines, a list of them, or a table: (("KEY", "VALUE"), ...)."""
    if isinstance(value, dict):
        return tuple((str(k), str(v)) for k, v in value.items())
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    pairs = []
    for line in (str(item).strip() for item in lines):
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"expected KEY=VALUE, got {line!r}")
        key, text = line.split("=", 1)
        pairs.append((key.strip(), text))
    return tuple(pairs)


def _models(value: Any) -> tuple:
    """[NAME=]PATH lines, or a list of them: (("NAME", "PATH"), ...), NAME "" when not given.
    Outside --mode mme one unnamed path is the model (settings.serving_model)."""
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    models = []
    for line in (str(item).strip() for item in lines):
        if line:
            whole = "=" not in line or Path(_path(line)).exists()   # a path may hold "=" itself
            name, _, path = ("", "", line) if whole else line.partition("=")
            if not path:
                raise ValueError(f"expected [NAME=]PATH, got {line!r}")
            models.append((name.strip(), _path(path)))
    return tuple(models)


KINDS: dict[str, Callable[[Any], Any]] = {
    "text": _text, "path": _path, "int": _integer, "float": _number, "bool": _flag, "header": _header,
    "list": _items, "pairs": _pairs, "paths": _folders,   # paths: NAME=FOLDER pairs
    "models": _models,                                  # [NAME=]PATH entries
    "argv": _argv,                                      # a command line
    "entries": _entries,                                # whole entries (repeat, one per line)
}


@dataclass(frozen=True)
class Option:
    name: str                       # flag name without dashes: "startup-window"
    kind: str                       # a key of KINDS
    help: str
    rule: str                       # the contract rule it comes from, or "tool"
    group: str = "run"              # run | report | training | load
    default: Any = None
    choices: tuple = ()

    @property
    def key(self) -> str:           # attribute, ini and TOML key: startup_window
        return self.name.replace("-", "_")

    @property
    def env(self) -> str:           # SMC_STARTUP_WINDOW
        return "SMC_" + self.key.upper()

    @property
    def repeatable(self) -> bool:   # --env A=1 --env B=2
        return self.kind in ("pairs", "paths", "models", "entries")

    @property
    def accepts_many(self) -> bool:   # a repeated flag, or a comma-separated list
        return self.repeatable or self.kind == "list"

    def describe(self) -> str:
        """The help text every front shows, with the choices."""
        return self.help + (f" ({'|'.join(self.choices)})" if self.choices else "")

    def parse(self, value: Any, origin: str, base: Optional[Path] = None) -> Any:
        """One value from a flag, a variable or a file, checked; relative paths from a file
        are resolved against that file's folder (`base`)."""
        try:
            parsed = KINDS[self.kind](value)
        except ValueError as exc:
            raise UsageError(f"{origin}: {exc} for {self.name}, got {value!r}", self.help) from None
        if self.choices and parsed not in self.choices:
            raise UsageError(f"{origin}: {self.name} must be one of {', '.join(self.choices)}, "
                             f"not {parsed!r}")
        if base is not None and self.kind == "path":
            parsed = str(base / parsed)
        if base is not None and self.kind in ("paths", "models"):
            parsed = tuple((name, str(base / folder)) for name, folder in parsed)
        return parsed


def option(name: str, kind: str, help: str, rule: str = "tool", **more: Any) -> Option:
    return Option(name, kind, help, rule, **more)


def parse_duration(text: str) -> float:
    """'30s', '2m', '1h', '45' -> seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smh]?)", text.strip().lower())
    if not match:
        raise UsageError(f"cannot read duration {text!r}", "use e.g. 30s or 2m")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
