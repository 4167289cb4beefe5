"""Server-rendered SVG charts: no script, no external request, readable by screen readers.

Each chart is `role="img"` labelled by its own <title> and <desc>; the desc spells out every
number, and the page shows the same numbers as a table, so nothing is only in the picture.
Colours are presentation attributes and classes, never `style=`: the site's CSP forbids
inline styles.

The viewBox is as wide as a phone's column (WIDTH), so text drawn at 12-13 units is
12-13 px on a 390 px phone and only grows on a desktop (the stylesheet caps the width): a
chart drawn for a desktop and shrunk to a phone has 6 px labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#2f6f4f", "#c2571a", "#3b5ba5", "#a23b72", "#6b6b2f", "#4f8fa8")
WIDTH = 360  # viewBox width: a phone's column (390 px minus the page's padding)
LABEL_SIZE = 13
SMALL_SIZE = 12  # the smallest text in a chart: values, ticks, legend
BAR = 14  # bar thickness
BAR_GAP = 4
LABEL_LINE = 18  # a bar chart's label sits on its own line above its bars
VALUE_ROOM = 40  # room right of the longest bar for its value
LEGEND_LINE = 18


def _head(chart_id: str, width: int, height: int, title: str, desc: str, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img"'
        f' id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )


def _describe(labels: Sequence[str], series: dict[str, Sequence[float]]) -> str:
    """Every value in words: 'Sales: 2 posted, 1 failed.'"""
    parts = []
    for i, label in enumerate(labels):
        values = ", ".join(f"{_fmt(values[i])} {name}" for name, values in series.items())
        parts.append(f"{_one_line(label)}: {values}.")
    return " ".join(parts) if parts else "No data yet."


def _one_line(label: str) -> str:
    return " ".join(label.split("\n"))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def nice_ticks(largest: float, whole: bool = True, most: int = 5) -> list[float]:
    """Axis ticks at round numbers from 0 to at least `largest`: 0, 2, 4, 6 rather than 0
    and 6. The step is 1, 2 or 5 times a power of ten, at most `most` steps; counts
    (`whole`) never get a step below 1."""
    if largest <= 0:
        return [0, 1]
    raw = largest / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(step, 1)
    count = math.ceil(largest / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _legend(names: list[str], y: int) -> tuple[str, int]:
    """Legend items left to right, wrapping to a new line when one would not fit; returns
    (markup, height used)."""
    out, x, rows = [], 0, 1
    for j, name in enumerate(names):
        width = 14 + round(SMALL_SIZE * 0.6 * len(name)) + 14
        if x and x + width > WIDTH:
            x, rows = 0, rows + 1
        top = y + (rows - 1) * LEGEND_LINE
        out.append(
            _square(x + 5, top - 4, PALETTE[j % len(PALETTE)])
            + f'<text class="chart-legend" x="{x + 14}" y="{top}" font-size="{SMALL_SIZE}"'
            f' fill="currentColor">{escape(name)}</text>'
        )
        x += width
    return "".join(out), rows * LEGEND_LINE


def _square(cx: float, cy: float, colour: str, fill: str | None = None) -> str:
    return (
        f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10"'
        f' fill="{fill or colour}" stroke="{colour}" stroke-width="2"/>'
    )


def _circle(cx: float, cy: float, colour: str, fill: str | None = None) -> str:
    return (
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{fill or colour}"'
        f' stroke="{colour}" stroke-width="2"/>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    summary: str = "",
) -> Markup:
    """Horizontal bars, one group per label with the label on its own line above: long
    labels such as rule ids and department names stay whole on a phone."""
    n_series = max(len(series), 1)
    top = max((max(v, default=0) for v in series.values()), default=0) or 1
    desc = (summary + " " if summary else "") + _describe(labels, series)
    legend, legend_height = ("", 0)
    if len(series) > 1:
        legend, legend_height = _legend(list(series), SMALL_SIZE)
        legend_height += 4
    group = LABEL_LINE + n_series * (BAR + BAR_GAP) + 8
    height = legend_height + max(len(labels), 1) * group
    out = [_head(chart_id, WIDTH, height, title, desc, "bar"), legend]
    y = legend_height
    for i, label in enumerate(labels):
        out.append(
            f'<text class="chart-label" x="0" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}"'
            f' fill="currentColor">{escape(label)}</text>'
        )
        y += LABEL_LINE
        for j, (name, values) in enumerate(series.items()):
            value = values[i]
            length = round((WIDTH - VALUE_ROOM) * value / top)
            colour = PALETTE[j % len(PALETTE)]
            out.append(
                f'<rect class="chart-bar chart-series-{j}" x="0" y="{y}"'
                f' width="{length}" height="{BAR}" fill="{colour}">'
                f"<title>{escape(label)}: {_fmt(value)} {escape(name)}</title></rect>"
                f'<text class="chart-value" x="{length + 6}" y="{y + BAR - 2}"'
                f' font-size="{SMALL_SIZE}" fill="currentColor">{_fmt(value)}</text>'
            )
            y += BAR + BAR_GAP
        y += 8
    out.append("</svg>")
    return Markup("".join(out))


def _merge_equal(series: dict[str, Sequence[float]]) -> dict[str, Sequence[float]]:
    """Series with the same values drawn once, named together: two lines on top of each
    other read as one line with a legend that lies."""
    merged: dict[tuple, list[str]] = {}
    for name, values in series.items():
        merged.setdefault(tuple(values), []).append(name)
    return {" = ".join(names): list(values) for values, names in merged.items()}


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    summary: str = "",
    last_is_partial: bool = False,
) -> Markup:
    """Values over time, one line with markers per series. A label may have a second line
    after a newline ("Sep\\n2026"). With `last_is_partial` the last point is a period that
    is not over (the month to date): its segment is dashed and its marker hollow, so it
    does not read as a collapse."""
    desc = (summary + " " if summary else "") + _describe(labels, series)
    drawn = _merge_equal(series)
    markers = (_circle, _square)
    legend, legend_height = _legend_with_markers(list(drawn), markers)
    if last_is_partial and len(labels) > 1:
        extra, extra_height = _partial_key(legend_height + SMALL_SIZE)
        legend += extra
        legend_height += extra_height
    left, right, bottom = 30, 14, 40
    plot_top = legend_height + 10
    height = plot_top + 150 + bottom
    plot_w, base = WIDTH - left - right, height - bottom
    plot_h = base - plot_top
    values = [v for vs in series.values() for v in vs]
    ticks = nice_ticks(max(values, default=0), all(float(v).is_integer() for v in values))
    top = ticks[-1]
    step = plot_w / max(len(labels) - 1, 1)
    out = [_head(chart_id, WIDTH, height, title, desc, "line"), legend]
    for tick in ticks:
        y = base - plot_h * tick / top
        out.append(
            f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}"'
            f' y2="{y:.1f}" stroke="currentColor" stroke-opacity="{0.6 if tick == 0 else 0.15}"'
            ' stroke-width="1"/>'
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end"'
            f' font-size="{SMALL_SIZE}" fill="currentColor">{_fmt(tick)}</text>'
        )
    every = math.ceil(len(labels) / 7) or 1
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        if i % every and not last:
            continue
        x = left + i * step
        anchor = "end" if last and len(labels) > 1 else "start" if i == 0 else "middle"
        x += 6 if anchor == "end" else -6 if anchor == "start" else 0
        lines = label.split("\n")
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if n == 0 else SMALL_SIZE + 3}">{escape(text)}</tspan>'
            for n, text in enumerate(lines)
        )
        out.append(
            f'<text class="chart-label" x="{x:.1f}" y="{base + 18}" text-anchor="{anchor}"'
            f' font-size="{SMALL_SIZE}" fill="currentColor">{spans}</text>'
        )
    for j, (name, values) in enumerate(drawn.items()):
        colour = PALETTE[j % len(PALETTE)]
        points = [(left + i * step, base - plot_h * v / top) for i, v in enumerate(values)]
        partial = last_is_partial and len(points) > 1
        solid = points[:-1] if partial else points
        if len(solid) > 1:
            out.append(_polyline(j, solid, colour))
        if partial:
            out.append(_polyline(j, points[-2:], colour, ' stroke-dasharray="5 4"'))
        for i, ((x, y), label, value) in enumerate(zip(points, labels, values, strict=True)):
            hollow = partial and i == len(points) - 1
            marker = markers[j % 2](x, y, colour, "none" if hollow else None)
            out.append(
                f'<g class="chart-dot chart-series-{j}">{marker}'
                f"<title>{escape(_one_line(label))}: {_fmt(value)} {escape(name)}</title></g>"
            )
    out.append("</svg>")
    return Markup("".join(out))


def _polyline(j: int, points: list[tuple[float, float]], colour: str, dash: str = "") -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        f'<polyline class="chart-line chart-series-{j}" points="{path}" fill="none"'
        f' stroke="{colour}" stroke-width="2.5"{dash}/>'
    )


def _legend_with_markers(names: list[str], markers) -> tuple[str, int]:
    """One line per series, with the series' own marker: a line chart has few series and
    their names are long ("active authors = first-time authors")."""
    out, y = [], SMALL_SIZE
    for j, name in enumerate(names):
        colour = PALETTE[j % len(PALETTE)]
        out.append(
            markers[j % 2](5, y - 4, colour)
            + f'<text class="chart-legend" x="16" y="{y}" font-size="{SMALL_SIZE}"'
            f' fill="currentColor">{escape(name)}</text>'
        )
        y += LEGEND_LINE
    return "".join(out), y - SMALL_SIZE


def _partial_key(y: int) -> tuple[str, int]:
    """The legend line that says what the dashed segment means."""
    return (
        f'<line x1="0" y1="{y - 4}" x2="22" y2="{y - 4}" stroke="currentColor"'
        ' stroke-width="2" stroke-dasharray="5 4"/>'
        f'<text class="chart-legend" x="28" y="{y}" font-size="{SMALL_SIZE}"'
        ' fill="currentColor">this month so far, not a full month</text>'
    ), LEGEND_LINE
