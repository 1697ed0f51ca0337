"""Hypothesis strategies for /invocations, built from the declared content type and the
user's payload: mutations of the valid payload (types, missing and extra fields, numbers
at their edges, NaN and Infinity, unicode, invalid UTF-8), raw text and bytes, bodies up to
the 6 MiB limit, and wrong or missing Content-Type, Accept and Custom-Attributes headers.
Each strategy shrinks toward the user's valid request, so a failure's minimal example is
the smallest change to it that still fails."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Optional

from hypothesis import strategies as st

from ...config import MAX_BODY_BYTES   # contract.md inference.invocations.request-size (API-RT)

CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"   # contract.md inference.headers.forwarded
CUSTOM_ATTRIBUTES_MAX = 1024                               # API-RT InvokeEndpoint CustomAttributes
EDGE_FIELDS = ("", " ", "0", "-0", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e308", "-1e308",
               "1e309", "4.9e-324", "9223372036854775808", "-9223372036854775809", "0x1F",
               "1,5", "true", "null", '"', "\\", "\t", "é", "\u2028", "😀")
EDGE_JSON = (None, True, False, "", 0, -1, 2 ** 63, -(2 ** 63) - 1, 1e308, float("nan"),
             float("inf"), float("-inf"), "é😀", [], {}, [[[[]]]], {"": None})
BUFFER_SIZES = (1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537,
                1 << 20, MAX_BODY_BYTES - 1, MAX_BODY_BYTES)   # a byte either side of common buffers
OTHER_TYPES = ("text/plain", "application/json", "text/csv", "application/octet-stream",
               "application/x-www-form-urlencoded", "multipart/form-data; boundary=smc", "",
               "*/*", "not a media type", "application/x-conformance-unknown")
OTHER_ACCEPTS = ("*/*", "application/json", "text/csv", "text/html;q=0.1",
                 "application/x-conformance-unknown", "")


@dataclass(frozen=True)
class FuzzCase:
    body: bytes
    content_type: Optional[str]    # None: the header is left out
    accept: Optional[str]
    custom_attributes: Optional[str]

    def headers(self) -> dict:
        named = {"Content-Type": self.content_type, "Accept": self.accept,
                 CUSTOM_ATTRIBUTES: self.custom_attributes}
        return {name: value for name, value in named.items() if value is not None}

    def describe(self, limit: int = 200) -> str:
        body = escaped(self.body, limit)
        headers = ", ".join(f"{k}: {v!r}" for k, v in self.headers().items()) or "no headers"
        missing = [n for n, v in (("Content-Type", self.content_type), ("Accept", self.accept))
                   if v is None]
        gone = f" (no {' or '.join(missing)})" if missing else ""
        return f"{len(self.body)} byte body {body}; {headers}{gone}"


def escaped(body: bytes, limit: int = 200) -> str:
    """A body as a Python bytes literal, cut at `limit` bytes: every byte visible."""
    shown = repr(body[:limit])
    return shown if len(body) <= limit else f"{shown}... ({len(body) - limit} more bytes)"


def family(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "text/csv":
        return "csv"
    if kind in ("application/jsonlines", "application/x-jsonlines", "application/jsonl"):
        return "jsonlines"
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    if kind.startswith("text/"):
        return "text"
    return "binary"


def cases(payload: Optional[bytes], content_type: str, accept: str,
          max_body: int = MAX_BODY_BYTES) -> st.SearchStrategy:
    """Every request the fuzzer may send; shrinks toward the valid payload with its headers."""
    return st.builds(FuzzCase, body=bodies(payload or b"", content_type, max_body),
                     content_type=_header(content_type, OTHER_TYPES + _charsets(content_type)),
                     accept=_header(accept, OTHER_ACCEPTS),
                     custom_attributes=st.none() | st.text(   # a valid header value: no edge spaces
                         st.characters(min_codepoint=32, max_codepoint=126),
                         max_size=CUSTOM_ATTRIBUTES_MAX).map(str.strip))


def weighted(*choices: tuple) -> st.SearchStrategy:
    """(weight, strategy) pairs: drawn in proportion, shrinking toward the first."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).flatmap(lambda index: table[index])


def _header(declared: str, others: tuple) -> st.SearchStrategy:
    """The declared value 4 times in 6 (bodies need it to reach the model), else left out
    or wrong."""
    return weighted((4, st.just(declared)), (1, st.none()),
                    (1, st.sampled_from([o for o in others if o != declared])))


def _charsets(content_type: str) -> tuple:
    kind = content_type.split(";")[0].strip()
    return tuple(f"{kind}; charset={c}" for c in ("utf-8", "latin-1", "utf-16", "x-unknown")) + (kind.upper(),)


def bodies(payload: bytes, content_type: str, max_body: int = MAX_BODY_BYTES) -> st.SearchStrategy:
    mutated = MUTATORS[family(content_type)](payload)
    # Mutations of the user's payload half the time: they reach the model's code.
    return weighted((5, mutated), (1, encoded(mutated)), (1, st.text().map(str.encode)),
                    (1, st.binary()), (2, sized(payload, max_body)))


def encoded(texts: st.SearchStrategy) -> st.SearchStrategy:
    """The body in another charset, or with an invalid UTF-8 byte spliced in."""
    @st.composite
    def build(draw: Any) -> bytes:
        body = draw(texts)
        text = body.decode("utf-8", errors="replace")
        charset = draw(st.sampled_from(("utf-16", "latin-1", "utf-32", "invalid")))
        if charset != "invalid":
            return text.encode(charset, errors="replace")
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"))) + body[at:]
    return build()


def sized(payload: bytes, max_body: int = MAX_BODY_BYTES) -> st.SearchStrategy:
    """The payload repeated or cut to a size up to the limit, edges of common buffers first."""
    unit = payload or b"x"
    edges = [n for n in BUFFER_SIZES if n <= max_body] + [max_body - 1, max_body]
    size = st.sampled_from(sorted(set(edges))) | st.integers(0, max_body)
    return size.map(lambda n: (unit * (n // len(unit) + 1))[:n])


def _csv_rows(payload: bytes) -> list:
    text = payload.decode("utf-8", errors="replace")
    rows = [row for row in csv.reader(io.StringIO(text))]
    return rows or [[""]]


def _csv_text(rows: list) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


def csv_field() -> st.SearchStrategy:
    return weighted((3, st.sampled_from(EDGE_FIELDS)), (1, st.integers().map(str)),   # edges: where
                    (1, st.floats(allow_nan=True, allow_infinity=True).map(repr)),    # parsers break
                    (1, st.text(max_size=20)))


def csv_bodies(payload: bytes) -> st.SearchStrategy:
    @st.composite
    def build(draw: Any) -> bytes:
        rows = [list(row) for row in _csv_rows(payload)]
        for _ in range(draw(st.integers(1, 3))):   # the payload as it is is sent by other checks
            row = rows[draw(st.integers(0, len(rows) - 1))]
            action = draw(weighted((3, st.just("replace")), (1, st.just("drop")),
                                   (1, st.just("add")), (1, st.just("blank row"))))
            at = draw(st.integers(0, max(0, len(row) - 1)))
            if action == "replace" and row:
                row[at] = draw(csv_field())
            elif action == "drop" and row:
                del row[at]
            elif action == "add":
                row.insert(at, draw(csv_field()))
            else:
                rows.append([])
        return _csv_text(rows)
    return build()


def json_value() -> st.SearchStrategy:
    leaves = (st.sampled_from(EDGE_JSON) | st.integers() | st.floats() | st.text(max_size=20)
              | st.booleans() | st.none())
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(node: Any, path: tuple = ()) -> list:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, path + (index,))
    return found


def _mutate_json(draw: Any, document: Any) -> Any:
    paths = _paths(document)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    action = draw(st.sampled_from(("replace", "remove", "extra")))
    if not path:
        return draw(json_value()) if action != "extra" else [document, draw(json_value())]
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[path[-1]] = draw(json_value())
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=8))] = draw(json_value())
    else:
        parent.insert(path[-1], draw(json_value()))
    return document


def json_bodies(payload: bytes) -> st.SearchStrategy:
    @st.composite
    def build(draw: Any) -> bytes:
        try:
            document = json.loads(payload or b"null")
        except ValueError:
            document = None
        for _ in range(draw(st.integers(0, 3))):
            document = _mutate_json(draw, document)
        return json.dumps(document, allow_nan=True, ensure_ascii=draw(st.booleans())).encode(
            "utf-8", errors="surrogatepass")
    deep = st.integers(1, 100_000).map(lambda d: b"[" * d + b"]" * d)   # parsers that recurse
    return build() | deep


def jsonlines_bodies(payload: bytes) -> st.SearchStrategy:
    lines = [line for line in payload.splitlines() if line.strip()] or [b"null"]
    @st.composite
    def build(draw: Any) -> bytes:
        out = list(lines)
        at = draw(st.integers(0, len(out) - 1))
        out[at] = draw(json_bodies(out[at]))
        if draw(st.booleans()):
            out.insert(draw(st.integers(0, len(out))), draw(st.sampled_from((b"", b"{", b"  "))))
        return b"\n".join(out) + b"\n"
    return build()


def text_bodies(payload: bytes) -> st.SearchStrategy:
    text = payload.decode("utf-8", errors="replace")
    @st.composite
    def build(draw: Any) -> bytes:
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(at, len(text)))
        return (text[:at] + draw(st.text(max_size=20)) + text[cut:]).encode("utf-8", errors="surrogatepass")
    return build()


def binary_bodies(payload: bytes) -> st.SearchStrategy:
    @st.composite
    def build(draw: Any) -> bytes:
        at = draw(st.integers(0, len(payload)))
        cut = draw(st.integers(at, len(payload)))
        return payload[:at] + draw(st.binary(max_size=16)) + payload[cut:]
    return build()


MUTATORS = {"csv": csv_bodies, "json": json_bodies, "jsonlines": jsonlines_bodies,
            "text": text_bodies, "binary": binary_bodies}
