"""Server-rendered SVG charts: no script, no external request, readable by screen readers.

Each chart is `role="img"` labelled by its own <title> and <desc>; the desc spells out every
number, and the page shows the same numbers as a table, so nothing is only in the picture.
Colours are presentation attributes and classes, never `style=`: the site's CSP forbids
inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#2f6f4f", "#c2571a", "#3b5ba5", "#a23b72", "#6b6b2f", "#4f8fa8")
DASHES = ("", ' stroke-dasharray="6 4"', ' stroke-dasharray="2 3"')  # equal lines stay visible
ROW = 26  # px per bar row
LABEL_WIDTH = 200
BAR_WIDTH = 380


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
        parts.append(f"{label}: {values}.")
    return " ".join(parts) if parts else "No data yet."


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    summary: str = "",
) -> Markup:
    """Horizontal bars, one row per label, one bar per series (grouped): long labels such as
    rule ids and department names stay readable."""
    n_series = max(len(series), 1)
    rows = max(len(labels), 1)
    height = rows * ROW * n_series + 30 + (rows - 1) * 6
    width = LABEL_WIDTH + BAR_WIDTH + 60
    top = max((max(v, default=0) for v in series.values()), default=0) or 1
    desc = (summary + " " if summary else "") + _describe(labels, series)
    out = [_head(chart_id, width, height, title, desc, "bar")]
    y = 4
    for i, label in enumerate(labels):
        out.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + ROW * n_series / 2 + 4:.0f}"'
            f' text-anchor="end" font-size="13" fill="currentColor">{escape(label)}</text>'
        )
        for j, (name, values) in enumerate(series.items()):
            value = values[i]
            length = round(BAR_WIDTH * value / top)
            colour = PALETTE[j % len(PALETTE)]
            out.append(
                f'<rect class="chart-bar chart-series-{j}" x="{LABEL_WIDTH}" y="{y + 3}"'
                f' width="{length}" height="{ROW - 6}" fill="{colour}">'
                f"<title>{escape(label)}: {_fmt(value)} {escape(name)}</title></rect>"
                f'<text class="chart-value" x="{LABEL_WIDTH + length + 6}" y="{y + ROW - 9}"'
                f' font-size="12" fill="currentColor">{_fmt(value)}</text>'
            )
            y += ROW
        y += 6
    if len(series) > 1:
        out.append(_legend(list(series), LABEL_WIDTH, height - 8))
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    summary: str = "",
) -> Markup:
    """Values over time (months along x), one polyline with dots per series."""
    width, height, left, bottom, top_pad = 640, 260, 64, 40, 16
    plot_w, plot_h = width - 2 * left, height - bottom - top_pad
    top = max((max(v, default=0) for v in series.values()), default=0) or 1
    step = plot_w / max(len(labels) - 1, 1)
    desc = (summary + " " if summary else "") + _describe(labels, series)
    out = [_head(chart_id, width, height, title, desc, "line")]
    base = top_pad + plot_h
    out.append(
        f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"'
        ' stroke="currentColor" stroke-width="1"/>'
    )
    for tick in sorted({0, top}):
        y = base - plot_h * tick / top
        out.append(
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end"'
            f' font-size="11" fill="currentColor">{_fmt(tick)}</text>'
        )
    for i, label in enumerate(labels):
        out.append(
            f'<text class="chart-label" x="{left + i * step:.1f}" y="{base + 18}"'
            f' text-anchor="middle" font-size="12" fill="currentColor">{escape(label)}</text>'
        )
    for j, (name, values) in enumerate(series.items()):
        colour = PALETTE[j % len(PALETTE)]
        points = [(left + i * step, base - plot_h * v / top) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline class="chart-line chart-series-{j}" points="{path}" fill="none"'
            f' stroke="{colour}" stroke-width="2.5"{DASHES[j % len(DASHES)]}/>'
        )
        for (x, y), label, value in zip(points, labels, values, strict=True):
            out.append(
                f'<circle class="chart-dot chart-series-{j}" cx="{x:.1f}" cy="{y:.1f}" r="4"'
                f' fill="{colour}"><title>{escape(label)}: {_fmt(value)} {escape(name)}</title>'
                "</circle>"
            )
    out.append(_legend(list(series), left, height - 4))
    out.append("</svg>")
    return Markup("".join(out))


def _legend(names: list[str], x: int, y: int) -> str:
    out = []
    for j, name in enumerate(names):
        colour = PALETTE[j % len(PALETTE)]
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text class="chart-legend" x="{x + 14}" y="{y}" font-size="12"'
            f' fill="currentColor">{escape(name)}</text>'
        )
        x += 14 + 8 * len(name) + 16
    return "".join(out)
