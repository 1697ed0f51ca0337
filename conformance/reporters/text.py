"""Text that came from the container (response bodies, failure files, logs) made safe for
each report: no terminal control sequences, nothing an XML parser refuses, no Markdown
or HTML that renders as something else."""
from __future__ import annotations

import re

from ..safe_text import printable

# Characters XML 1.0 does not allow at all (after control characters are gone).
XML_ILLEGAL = re.compile("[\ufffe\uffff\ud800-\udfff]")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", printable(text))


def markdown_inline(text: object) -> str:
    """One table cell or list item: escaped, on one line, so it renders as plain text."""
    flat = printable(str(text)).replace("\r", " ").replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("@", "&#64;")
