"""Text that came from the container or the engine (response bodies and headers, failure
files, logs, error messages) made safe once, where a result is made: no terminal escape
sequences, no C0 or C1 control characters (tab, newline and CR kept), no bidirectional
overrides that would show a line other than it is (CVE-2021-42574's "trojan source")."""
from __future__ import annotations

import re
from typing import Any

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes.
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# C0 but tab, LF and CR; DEL; C1 (0x80-0x9f, e.g. U+009B, a one-character CSI); the bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Drop ANSI escapes and control characters (tab, newline and CR kept)."""
    return CONTROL.sub("", ANSI.sub("", text))


def safe(value: Any) -> Any:
    """`value` with every string in it printable: strings, and the lists, tuples and dicts
    of a result's measured value and details (keys too); other values as they are."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {safe(k): safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(safe(v) for v in value)
    return value
