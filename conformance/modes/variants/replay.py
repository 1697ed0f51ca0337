"""The same traffic to every variant, and their answers compared. Requests go round robin,
one variant after the other for each request (the first variant changes every request),
so that every variant sees the same bodies under the same load of this machine; the
comparison is of each candidate's answer with the baseline's answer to the same body."""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ...engine.http import HttpSample, http_call, percentile
from ...errors import UsageError

TOKENS = re.compile(rb"[^,;\s\[\]{}\"]+")
NOT_UP = "not every variant became healthy; see inference.startup (judged on each variant)"


@dataclass
class VariantTraffic:
    name: str
    label: str
    image: str
    samples: list = field(default_factory=list)      # HttpSample per request, in order
    differing: list = field(default_factory=list)    # (request index, why) against the baseline

    @functools.cached_property
    def figures(self) -> dict:
        """The replay's figures, taken once when the replay is done."""
        ok = [s.elapsed_s * 1000 for s in self.samples if s.ok]
        return {"image": self.image, "requests": len(self.samples), "ok": len(ok), "errors": len(self.samples) - len(ok),
                "differing": len(self.differing),
                "p50_ms": round(percentile(ok, 50), 2) if ok else None,
                "p90_ms": round(percentile(ok, 90), 2) if ok else None,
                "p99_ms": round(percentile(ok, 99), 2) if ok else None,
                "max_ms": round(max(ok), 2) if ok else None,
                "first_difference": self.differing[0][1] if self.differing else None,
                "latencies_ms": [round(v, 2) for v in sorted(ok)]}


def request_bodies(traffic: Optional[Path], payload: Optional[bytes], max_body: int) -> list:
    """The bodies to replay: each file of a folder, each line of a file, or the payload."""
    if traffic is None:
        return [payload]
    try:
        if traffic.is_dir():
            files = sorted(p for p in traffic.rglob("*") if p.is_file() and not p.is_symlink())
            bodies = [p.read_bytes() for p in files if p.stat().st_size <= max_body]
        else:
            bodies = [line + b"\n" for line in traffic.read_bytes().splitlines() if line.strip()]
    except OSError as exc:
        raise UsageError(f"cannot read --traffic {traffic}: {exc.strerror or exc}") from None
    if not bodies:
        raise UsageError(f"--traffic {traffic} holds no request body of at most {max_body} bytes")
    return bodies


def compared(ctx) -> Optional[list]:
    """The replay of this run (once, kept in ctx.mode_state), or None when a variant is
    not up to take it (the serving checks say why)."""
    state = ctx.mode_state
    if "traffic" not in state:
        variants = state["variants"]
        if not all(v.startup is not None and v.startup.healthy for v in variants):
            state["traffic"] = None
        else:
            settings, config = ctx.config.mode_settings, ctx.config
            bodies = request_bodies(settings.traffic, ctx.probes.payload, config.max_body_bytes)
            headers = {"Content-Type": config.content_type, "Accept": config.accept}
            state["traffic"] = replay(variants, bodies, settings.requests, headers, config.invocation_limit_s,
                                      config.max_body_bytes, settings.tolerance, ctx.probes.progress)
    return state["traffic"]


def replay(variants: list, bodies: list, count: int, headers: dict, limit_s: float, max_body: int,
           tolerance: float, progress: Callable[[str], None]) -> list:
    """`count` requests to every variant that is up; the VariantTraffic of each."""
    traffic = [VariantTraffic(v.name, v.label, v.image) for v in variants]
    progress(f"replaying {count} requests to each of {len(variants)} variants, round robin")
    for index in range(count):
        body = bodies[index % len(bodies)]
        order = list(range(len(variants)))
        order = order[index % len(order):] + order[:index % len(order)]
        for position in order:
            variant = variants[position]
            traffic[position].samples.append(http_call(
                variant.target.base_url, "POST", "/invocations", body=body, headers=headers,
                read_timeout=limit_s, keep_bytes=max_body))
    base = traffic[0]
    for other in traffic[1:]:
        for index, (mine, theirs) in enumerate(zip(base.samples, other.samples)):
            same, why = agree(mine, theirs, tolerance)
            if not same:
                other.differing.append((index, f"request {index + 1}: {why}"))
    return traffic


def agree(base: HttpSample, other: HttpSample, tolerance: float) -> tuple[bool, str]:
    """Do two answers to one request say the same? Status first, then the bytes, then the
    same JSON with numbers within `tolerance`, then the same tokens (CSV, text) likewise."""
    if base.status != other.status or base.error or other.error:
        return False, f"baseline {_said(base)}, this variant {_said(other)}"
    if base.body_head == other.body_head:
        return True, ""
    try:
        same = _same_json(json.loads(base.body_head), json.loads(other.body_head), tolerance)
    except ValueError:
        same = _same_tokens(base.body_head, other.body_head, tolerance)
    if same:
        return True, ""
    return False, f"answers differ: baseline {_excerpt(base.body_head)}, this variant {_excerpt(other.body_head)}"


def _same_json(a, b, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y, tolerance) for x, y in zip(a, b))
    return a == b


def _same_tokens(a: bytes, b: bytes, tolerance: float) -> bool:
    left, right = TOKENS.findall(a), TOKENS.findall(b)
    return len(left) == len(right) and all(_same_token(x, y, tolerance) for x, y in zip(left, right))


def _same_token(a: bytes, b: bytes, tolerance: float) -> bool:
    if a == b:
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=tolerance, abs_tol=tolerance)
    except ValueError:
        return False


def _said(sample: HttpSample) -> str:
    return sample.error or f"{sample.status}"


def _excerpt(body: bytes, size: int = 80) -> str:
    return repr(body[:size]) + ("..." if len(body) > size else "")
