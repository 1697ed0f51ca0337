"""Small inline SVG charts for the HTML report (no network, no plotting library): a
line chart of per-second latency and a histogram of all latencies."""
from __future__ import annotations

from html import escape
from typing import Optional

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


def line_chart(title: str, series: dict, x_label: str, y_label: str) -> str:
    """series: name -> list of (x, y or None)."""
    points = [(x, y) for values in series.values() for x, y in values if y is not None]
    if not points:
        return f"<p>{escape(title)}: no data</p>"
    x_max = max(x for x, _ in points) or 1
    y_max = max(y for _, y in points) * 1.1 or 1
    body = ""
    for index, (name, values) in enumerate(series.items()):
        coords = " ".join(f"{_scale(x, 0, x_max, PAD_L, W - PAD_R):.1f},{_scale(y, 0, y_max, H - PAD_B, PAD_T):.1f}"
                          for x, y in values if y is not None)
        body += (f'<polyline points="{coords}" class="s{index}"/>'
                 f'<text x="{W - PAD_R - 4}" y="{PAD_T + 14 + 14 * index}" text-anchor="end" class="t{index}">'
                 f'{escape(name)}</text>')
    return _frame(title, x_label, y_label, y_max, x_max, body)


def histogram(title: str, values: list, x_label: str, bins: int = 30,
              limit: Optional[float] = None) -> str:
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
    return _frame(f"{title} ({lo:.1f} – {hi:.1f} {x_label})", x_label, "requests", top, hi, body)
