"""Text that came from the container (response bodies, failure files, logs) made safe for
each report: no terminal control sequences, nothing an XML parser refuses, no Markdown
or HTML that renders as something else."""
from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes.
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters XML 1.0 does not allow at all (after control characters are gone).
XML_ILLEGAL = re.compile("[\ufffe\uffff\ud800-\udfff]")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def printable(text: str) -> str:
    """Drop ANSI escapes and control characters (tab, newline and CR kept)."""
    return CONTROL.sub("", ANSI.sub("", text))


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", printable(text))


def markdown_inline(text: object) -> str:
    """One table cell or list item: escaped, on one line, so it renders as plain text."""
    flat = printable(str(text)).replace("\r", " ").replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("@", "&#64;")
