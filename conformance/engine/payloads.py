"""Request bodies grown as users grow them, up to the platform's 6 MiB (contract.md
inference.invocations.request-size): line-oriented bodies repeat their lines, JSON
repeats the items of its record array."""
from __future__ import annotations

import json
from typing import Optional

LINE_TYPES = ("text/csv", "application/jsonlines", "application/x-jsonlines", "text/plain")
JSON_TYPES = ("application/json",)
# Where JSON payloads keep their records: top level, TF Serving / SageMaker JSON
# ("instances", "inputs"), generic "data", and MLflow's pandas split orient.
JSON_RECORD_PATHS = ((), ("instances",), ("inputs",), ("data",), ("dataframe_split", "data"),
                     ("dataframe_records",))


def grow_payload(payload: Optional[bytes], content_type: str, limit: int) -> Optional[bytes]:
    """The payload grown as users grow it, to at most `limit` bytes: line-oriented bodies
    (CSV, JSON Lines, text) repeat their lines; JSON repeats the items of its record array."""
    kind = content_type.split(";")[0].strip().lower()
    if not payload:
        return None
    if kind in LINE_TYPES:
        unit = payload if payload.endswith(b"\n") else payload + b"\n"
        return unit * max(1, limit // len(unit))
    if kind in JSON_TYPES or kind.endswith("+json"):
        return _grow_json(payload, limit)
    return None


def _grow_json(payload: bytes, limit: int) -> Optional[bytes]:
    try:
        document = json.loads(payload)
    except ValueError:
        return None
    for path in JSON_RECORD_PATHS:
        records = _at(document, path)
        if isinstance(records, list) and records:
            break
    else:
        return None
    compact = dict(separators=(",", ":"), ensure_ascii=False)
    item = ",".join(json.dumps(r, **compact) for r in records)
    placeholder = "\u0000smc-records\u0000"
    if path:
        _set(document, path, placeholder)
        skeleton = json.dumps(document, **compact)
    else:
        skeleton = json.dumps(placeholder, **compact)
    quoted = json.dumps(placeholder, **compact)
    room = limit - len(skeleton.encode()) + len(quoted.encode()) - 2
    copies = max(1, room // (len(item.encode()) + 1))
    return skeleton.replace(quoted, "[" + ",".join([item] * copies) + "]", 1).encode()


def _at(document, path: tuple):
    node = document
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set(document, path: tuple, value) -> None:
    if not path:
        return
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
