"""Small inline SVG charts for the HTML report (no network, no plotting library): line
charts and histograms of a section's model.Chart, with dashed marks (p99, SLO limit)."""
from __future__ import annotations

from html import escape
from typing import Optional

from ..model import Chart

W, H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 240, 56, 32, 16, 16


def _scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    return out_lo if hi == lo else out_lo + (value - lo) * (out_hi - out_lo) / (hi - lo)


def _frame(title: str, x_label: str, y_label: str, y_max: float, x_max: float, body: str) -> str:
    ticks = "".join(
        f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.4g}</text>'
        for v, y in ((y_max * i / 4, _scale(y_max * i / 4, 0, y_max, H - PAD_B, PAD_T)) for i in range(5)))
    return (f'<figure><figcaption>{escape(title)}</figcaption>'
            f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{escape(title)}">'
            f'{ticks}<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{H - PAD_B}" y2="{H - PAD_B}" class="axis"/>'
            f'<text x="{(W + PAD_L) / 2}" y="{H - 6}" text-anchor="middle">{escape(x_label)} (0 – {x_max:.4g})</text>'
            f'<text x="12" y="{PAD_T + 8}" class="ylabel">{escape(y_label)}</text>{body}</svg></figure>')


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
    y_max = max([y for _, y in points] + list(marks.values())) * 1.1 or 1
    body = "".join(_mark(i + 1, name, PAD_L, _scale(v, 0, y_max, H - PAD_B, PAD_T), W - PAD_R,
                         _scale(v, 0, y_max, H - PAD_B, PAD_T)) for i, (name, v) in enumerate(marks.items()))
    for index, (name, values) in enumerate(series.items()):
        coords = " ".join(f"{_scale(x, 0, x_max, PAD_L, W - PAD_R):.1f},{_scale(y, 0, y_max, H - PAD_B, PAD_T):.1f}"
                          for x, y in values if y is not None)
        body += (f'<polyline points="{coords}" class="s{index}"/>'
                 f'<text x="{W - PAD_R - 4}" y="{PAD_T + 14 + 14 * index}" text-anchor="end" class="t{index}">'
                 f'{escape(name)}</text>')
    return _frame(title, x_label, y_label, y_max, x_max, body)


def histogram(title: str, values: list, x_label: str, bins: int = 30,
              marks: Optional[dict] = None) -> str:
    """values in bins; marks: name -> x of a vertical line (drawn when inside the range)."""
    if not values:
        return f"<p>{escape(title)}: no data</p>"
    lo, hi = min(values), max(values)
    width = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / width))] += 1
    top = max(counts) * 1.1
    bar_w = (W - PAD_L - PAD_R) / bins
    body = "".join(
        f'<rect x="{PAD_L + i * bar_w + 1:.1f}" y="{_scale(c, 0, top, H - PAD_B, PAD_T):.1f}" '
        f'width="{bar_w - 2:.1f}" height="{H - PAD_B - _scale(c, 0, top, H - PAD_B, PAD_T):.1f}" class="bar">'
        f'<title>{lo + i * width:.1f}–{lo + (i + 1) * width:.1f}: {c}</title></rect>'
        for i, c in enumerate(counts))
    for i, (name, v) in enumerate((k, v) for k, v in (marks or {}).items() if v is not None and lo <= v <= hi):
        x = _scale(v, lo, hi, PAD_L, W - PAD_R)
        body += _mark(i + 1, name, x, H - PAD_B, x, PAD_T + 14 * i)
    return _frame(f"{title} ({lo:.1f} – {hi:.1f} {x_label})", x_label, "requests", top, hi, body)
