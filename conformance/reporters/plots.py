"""Small inline SVG charts for the HTML report (no network, no plotting library): line
charts and histograms of a section's model.Chart, with dashed marks (p99, SLO limit).
Axes get round ticks (1, 2 or 5 times a power of ten); a histogram of latencies that
span ten times or more is binned on a log scale, so the fast bulk and the slow tail both
show."""
from __future__ import annotations

import math
from html import escape
from typing import Callable, Optional

from ..model import Chart

W, H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 250, 56, 40, 26, 16
LOG_SPAN = 10.0   # max/min at which a histogram's bins go on a log scale


def _scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    return out_lo if hi == lo else out_lo + (value - lo) * (out_hi - out_lo) / (hi - lo)


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^k) that cuts `span` into about `ticks` parts."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _label(value: float) -> str:
    return f"{value:.4g}"


def _frame(title: str, x_label: str, y_label: str, y_max: float, body: str,
           x_ticks: list, x_at: Callable[[float], float]) -> str:
    step = nice_step(y_max)
    y_ticks = [i * step for i in range(int(y_max / step + 1e-9) + 1)]
    grid = "".join(
        f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(v)}</text>'
        for v, y in ((v, _scale(v, 0, y_max, H - PAD_B, PAD_T)) for v in y_ticks))
    grid += "".join(
        f'<line x1="{x_at(v):.1f}" x2="{x_at(v):.1f}" y1="{H - PAD_B}" y2="{H - PAD_B + 4}" class="axis"/>'
        f'<text x="{x_at(v):.1f}" y="{H - PAD_B + 16}" text-anchor="middle">{_label(v)}</text>' for v in x_ticks)
    return (f'<figure><figcaption>{escape(title)}</figcaption>'
            f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{escape(title)}">'
            f'{grid}<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{H - PAD_B}" y2="{H - PAD_B}" class="axis"/>'
            f'<text x="{(W + PAD_L) / 2}" y="{H - 4}" text-anchor="middle">{escape(x_label)}</text>'
            f'<text x="{PAD_L - 6}" y="{PAD_T - 12}" text-anchor="end" class="ylabel">{escape(y_label)}</text>'
            f'{body}</svg></figure>')


def chart(spec: Chart) -> str:
    """A section's chart (model.Chart) as inline SVG."""
    if spec.kind == "histogram":
        return histogram(spec.title, list(spec.values), spec.x_label, marks=spec.marks)
    return line_chart(spec.title, spec.series, spec.x_label, spec.y_label, marks=spec.marks)


def _mark(index: int, name: str, x1: float, y1: float, x2: float, y2: float) -> str:
    """A dashed reference line (the p99, the SLO limit) with its name."""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="mark m{index}" '
            f'stroke-dasharray="5,4"/><text x="{x2 - 4:.1f}" y="{min(y1, y2) + 12:.1f}" text-anchor="end" '
            f'class="t{index}">{escape(name)}</text>')


def line_chart(title: str, series: dict, x_label: str, y_label: str, marks: Optional[dict] = None) -> str:
    """series: name -> list of (x, y or None); marks: name -> y of a horizontal line."""
    points = [(x, y) for values in series.values() for x, y in values if y is not None]
    if not points:
        return f"<p>{escape(title)}: no data</p>"
    marks = {k: v for k, v in (marks or {}).items() if v is not None}
    x_max = max(x for x, _ in points) or 1
    top = max([y for _, y in points] + list(marks.values())) * 1.1 or 1
    step = nice_step(top)
    y_max = math.ceil(top / step) * step
    body = "".join(_mark(i + 1, name, PAD_L, _scale(v, 0, y_max, H - PAD_B, PAD_T), W - PAD_R,
                         _scale(v, 0, y_max, H - PAD_B, PAD_T)) for i, (name, v) in enumerate(marks.items()))
    for index, (name, values) in enumerate(series.items()):
        coords = " ".join(f"{_scale(x, 0, x_max, PAD_L, W - PAD_R):.1f},{_scale(y, 0, y_max, H - PAD_B, PAD_T):.1f}"
                          for x, y in values if y is not None)
        body += (f'<polyline points="{coords}" class="s{index}"/>'
                 f'<text x="{W - PAD_R - 4}" y="{PAD_T + 14 + 14 * index}" text-anchor="end" class="t{index}">'
                 f'{escape(name)}</text>')
    x_step = nice_step(x_max)
    x_ticks = [i * x_step for i in range(int(x_max / x_step + 1e-9) + 1)]
    return _frame(title, x_label, y_label, y_max, body, x_ticks,
                  lambda v: _scale(v, 0, x_max, PAD_L, W - PAD_R))


def _log_ticks(lo: float, hi: float) -> list:
    """1, 2 and 5 times each power of ten inside [lo, hi], and the ends."""
    ticks = [lo]
    for power in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        ticks += [m * 10 ** power for m in (1, 2, 5) if lo * 1.15 < m * 10 ** power < hi / 1.15]
    return ticks + [hi]


def histogram(title: str, values: list, x_label: str, bins: int = 30,
              marks: Optional[dict] = None) -> str:
    """values in bins (log-spaced when they span LOG_SPAN times or more); marks: name -> x
    of a vertical line (drawn when inside the range)."""
    if not values:
        return f"<p>{escape(title)}: no data</p>"
    lo, hi = min(values), max(values)
    log = lo > 0 and hi / lo >= LOG_SPAN
    where = (lambda v: math.log10(v)) if log else (lambda v: v)
    a, b = where(lo), where(hi)
    width = (b - a) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((where(v) - a) / width))] += 1
    step = nice_step(max(counts) * 1.1)
    top = math.ceil(max(counts) * 1.1 / step) * step
    x_at = lambda v: _scale(where(v), a, b, PAD_L, W - PAD_R)   # noqa: E731
    edge = (lambda i: 10 ** (a + i * width)) if log else (lambda i: a + i * width)
    bar_w = (W - PAD_L - PAD_R) / bins
    body = "".join(
        f'<rect x="{PAD_L + i * bar_w + 1:.1f}" y="{_scale(c, 0, top, H - PAD_B, PAD_T):.1f}" '
        f'width="{bar_w - 2:.1f}" height="{H - PAD_B - _scale(c, 0, top, H - PAD_B, PAD_T):.1f}" class="bar">'
        f'<title>{edge(i):.3g}–{edge(i + 1):.3g}: {c}</title></rect>'
        for i, c in enumerate(counts))
    for i, (name, v) in enumerate((k, v) for k, v in (marks or {}).items() if v is not None and lo <= v <= hi):
        body += _mark(i + 1, name, x_at(v), H - PAD_B, x_at(v), PAD_T + 14 * i)
    if log:
        ticks = _log_ticks(lo, hi)
    else:
        x_step = nice_step(hi - lo)
        ticks = [lo] + [v for v in (math.ceil(lo / x_step) * x_step + i * x_step for i in range(12))
                        if lo + 0.08 * (hi - lo) < v < hi - 0.08 * (hi - lo)] + [hi]
    scale = "log scale" if log else "linear"
    return _frame(f"{title} ({lo:.1f} – {hi:.1f} {x_label}, {scale})", f"{x_label} ({scale})", "requests",
                  top, body, ticks, x_at)
