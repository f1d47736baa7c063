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


def _xy_chart(lines: Sequence[tuple[str, str, Sequence[tuple[float, float]], bool]], *, title: str, x_label: str,
              y_label: str, y_range: tuple[float, float] = (0.0, 1.0), width: int = 420,
              height: int = 300) -> SafeString:
    """Lines over x in [0, 1]: each (name, colour, points, dashed); dots on the solid ones, a legend below."""
    low, high = y_range
    span = (high - low) or 1.0
    left, right, upper, lower = 44, 10, 10, 58

    def x(value: float) -> float:
        return left + (width - left - right) * min(max(value, 0.0), 1.0)

    def y(value: float) -> float:
        return height - lower - (height - upper - lower) * (min(max(value, low), high) - low) / span

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    digits = 2 if span >= 0.4 else 3 if span >= 0.04 else 4  # a Qini curve spans a few hundredths
    for step in range(5):
        value = round(low + span * step / 4, digits) + 0.0  # never "-0.00"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" class="chart-label">'
                     f"{value:.{digits}f}</text>")
        parts.append(f'<text x="{x(step / 4):.1f}" y="{height - lower + 14}" text-anchor="middle" '
                     f'class="chart-label">{step / 4:.2f}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - lower + 28}" text-anchor="middle" '
                 f'class="chart-label">{escape(x_label)}</text>'
                 f'<text x="12" y="{(upper + height - lower) / 2:.1f}" text-anchor="middle" class="chart-label" '
                 f'transform="rotate(-90 12 {(upper + height - lower) / 2:.1f})">{escape(y_label)}</text>')
    legend_x = left
    for name, colour, points, dashed in lines:
        if not points:
            continue
        path = "".join(f"{'M' if index == 0 else 'L'}{x(px):.1f},{y(py):.1f}" for index, (px, py) in enumerate(points))
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
                     f"<title>{escape(name)}</title></path>")
        if not dashed and len(points) <= 30:  # dots on a long curve would only blur it
            parts.extend(f'<circle cx="{x(px):.1f}" cy="{y(py):.1f}" r="3" fill="{colour}">'
                         f"<title>{escape(name)}: ({px:.3f}, {py:.3f})</title></circle>" for px, py in points)
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 18}" y1="{height - 10}" y2="{height - 10}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/><text x="{legend_x + 22}" y="{height - 6}" '
                     f'class="chart-label">{escape(name)}</text>')
        legend_x += 30 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def calibration_chart(points: Sequence[tuple[float, float]], *, title: str, model_label: str, ideal_label: str,
                      x_label: str, y_label: str) -> SafeString:
    """Reliability plot: mean predicted probability against the observed rate per bin, over the diagonal."""
    if not points:
        return mark_safe("")
    return _xy_chart([(ideal_label, "#9aa5b1", [(0.0, 0.0), (1.0, 1.0)], True),
                      (model_label, "#1565c0", sorted(points), False)],
                     title=title, x_label=x_label, y_label=y_label)


def gains_chart(points: Sequence[tuple[float, float]], *, title: str, model_label: str, random_label: str,
                x_label: str, y_label: str) -> SafeString:
    """Cumulative gains: share of all payers found against share of cases taken, highest scores first."""
    if not points:
        return mark_safe("")
    return _xy_chart([(random_label, "#9aa5b1", [(0.0, 0.0), (1.0, 1.0)], True),
                      (model_label, "#2e7d32", [(0.0, 0.0), *sorted(points)], False)],
                     title=title, x_label=x_label, y_label=y_label)


def qini_chart(fractions: Sequence[float], gains: Sequence[float], *, title: str, model_label: str,
               random_label: str, x_label: str, y_label: str) -> SafeString:
    """Qini curve: incremental payers per treated case against share of cases targeted, with the random line."""
    points = list(zip(fractions, gains, strict=True))
    if not points:
        return mark_safe("")
    low, high = min(0.0, *gains), max(0.0, *gains)
    margin = (high - low) * 0.05 or 0.01
    return _xy_chart([(random_label, "#9aa5b1", [(0.0, 0.0), (1.0, points[-1][1])], True),
                      (model_label, "#6a1b9a", points, False)],
                     title=title, x_label=x_label, y_label=y_label, y_range=(low - margin, high + margin))
