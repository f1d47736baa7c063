"""Small server-rendered SVG charts: no JavaScript library, nothing fetched at run time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe

BUCKET_COLOURS = ("#2e7d32", "#9e9d24", "#f9a825", "#ef6c00", "#d84315", "#b71c1c", "#6a1b1a", "#4a148c")


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, unit: str = "",
              width: int = 560, height: int = 220) -> SafeString:
    """Vertical bars with value labels; colours follow bucket severity."""
    top = max(values, default=0) or 1
    margin, bottom = 8, 36
    slot = (width - 2 * margin) / max(len(values), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = (height - bottom - 18) * (value / top)
        x = margin + index * slot + slot * 0.15
        y = height - bottom - bar_height
        colour = BUCKET_COLOURS[min(index, len(BUCKET_COLOURS) - 1)]
        shown = f"{value:,.0f}{unit}"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
                     f'fill="{colour}"><title>{escape(label)}: {escape(shown)}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                     f'class="chart-value">{escape(shown)}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'class="chart-label">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def dpd_history_chart(series: Sequence[tuple[str, Sequence[tuple[date, int]]]], *, title: str,
                      bucket_bounds: Sequence[tuple[str, int]], width: int = 640, height: int = 220) -> SafeString:
    """DPD over time, one step line per loan, over bands for the buckets."""
    points = [point for _, line in series for point in line]
    if not points:
        return mark_safe("")
    first = min(day for day, _ in points)
    last = max(day for day, _ in points)
    span = max((last - first).days, 1)
    top = max(max(dpd for _, dpd in points), 30)
    left, right, upper, lower = 40, 8, 10, 28

    def x(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    def y(dpd: int) -> float:
        return height - lower - (height - upper - lower) * min(dpd, top) / top

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for name, low in bucket_bounds:
        if low > top:
            break
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(low):.1f}" y2="{y(low):.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y(low) + 4:.1f}" text-anchor="end" class="chart-label">'
                     f'{escape(name)}</text>')
    palette = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00")
    for index, (label, line) in enumerate(series):
        ordered = sorted(line)
        if not ordered:
            continue
        path = [f"M{x(ordered[0][0]):.1f},{y(ordered[0][1]):.1f}"]
        for (_, previous), (day, dpd) in pairwise(ordered):
            path.append(f"L{x(day):.1f},{y(previous):.1f}L{x(day):.1f},{y(dpd):.1f}")
        colour = palette[index % len(palette)]
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2">'
                     f"<title>{escape(label)}</title></path>")
    parts.append(f'<text x="{left}" y="{height - 8}" class="chart-label">{first.isoformat()}</text>'
                 f'<text x="{width - right}" y="{height - 8}" text-anchor="end" class="chart-label">'
                 f"{last.isoformat()}</text></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped above
