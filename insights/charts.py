"""Bar charts drawn on the server as SVG: pure geometry, no JavaScript. Each chart on a page sits beside a
table of the same numbers, which is what screen readers read (the SVG itself is one labelled image)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36  # room for the value axis and the labels under the bars


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    label_x: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    baseline: float
    left: int
    right: float
    show_every: int  # label every n-th bar, so a year of months stays legible on a phone

    @property
    def tick_x(self) -> int:
        return self.left - 6

    @property
    def label_y(self) -> float:
        return self.baseline + 18

    @property
    def labelled_bars(self) -> list[tuple[Bar, bool]]:
        return [(bar, index % self.show_every == 0) for index, bar in enumerate(self.bars)]

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_step(value: float, *, whole: bool) -> float:
    """A gridline step of 1, 2, 2.5 or 5 times a power of ten, so that four steps reach `value`; whole
    numbers only for counts (no "1.5 devices")."""
    wanted = max(value / 4, 1 if whole else 0.01)
    power = 10 ** math.floor(math.log10(wanted))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * power
        if candidate >= wanted and (not whole or candidate == int(candidate)):
            return candidate
    return 10 * power


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}m"
    if value >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def bar_chart(title: str, points: Sequence[tuple[str, float | int | Decimal | None]]) -> Chart:
    """Vertical bars, one per (label, value); a missing value draws no bar."""
    values = [float(v or 0) for _label, v in points]
    whole = all(isinstance(v, int) or v is None for _label, v in points)
    top = 4 * nice_step(max(values, default=0), whole=whole)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bars = []
    for index, ((label, raw), value) in enumerate(zip(points, values, strict=True)):
        height = plot_h * value / top
        x = LEFT + index * slot + slot * 0.15
        shown = "" if raw is None else _short(float(raw))
        bars.append(Bar(x, TOP + plot_h - height, slot * 0.7, height, label, shown, LEFT + (index + 0.5) * slot))
    ticks = tuple(Tick(TOP + plot_h - plot_h * i / 4, _short(top * i / 4)) for i in range(5))
    every = max(1, math.ceil(len(points) / 6))
    return Chart(title, WIDTH, HEIGHT, tuple(bars), ticks, TOP + plot_h, LEFT, WIDTH - RIGHT, every)


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    y: float  # top of the row: its label sits there, the bar under it
    width: float

    @property
    def text_y(self) -> float:
        return self.y + 12

    @property
    def bar_y(self) -> float:
        return self.y + 18

    @property
    def value_x(self) -> float:
        return self.width + 6

    @property
    def value_y(self) -> float:
        return self.y + 31


@dataclass(frozen=True)
class RowChart:
    title: str
    width: int
    height: int
    rows: tuple[Row, ...]

    @property
    def empty(self) -> bool:
        return not self.rows


ROW_HEIGHT = 40


def row_chart(title: str, points: Sequence[tuple[str, float | int]]) -> RowChart:
    """Horizontal bars for categories with long names (branches): the name above each bar, the value after it."""
    top = max((float(v) for _label, v in points), default=0) or 1
    usable = WIDTH - 60
    rows = tuple(
        Row(label, _short(float(value)), 4 + index * ROW_HEIGHT, max(1.0, usable * float(value) / top))
        for index, (label, value) in enumerate(points)
    )
    return RowChart(title, WIDTH, 8 + len(rows) * ROW_HEIGHT, rows)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(chart: Chart, element_id: str) -> str:
    """The chart as an inline SVG: one labelled image (`<title>`), gridlines, bars and month labels.
    Written with format strings rather than a template: ten of these on a page cost a millisecond."""
    title = escape(chart.title + (": no figures yet" if chart.empty else ""))
    parts = [
        f'<svg class="relay-chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{element_id}-title" focusable="false"><title id="{element_id}-title">{title}</title>'
    ]
    for tick in chart.ticks:
        y = _n(tick.y)
        parts.append(
            f'<line x1="{chart.left}" x2="{_n(chart.right)}" y1="{y}" y2="{y}" stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{chart.tick_x}" y="{y}" dy="4" text-anchor="end" font-size="12" fill="#484949">'
            f"{escape(tick.label)}</text>"
        )
    for bar, labelled in chart.labelled_bars:
        parts.append(
            f'<rect x="{_n(bar.x)}" y="{_n(bar.y)}" width="{_n(bar.width)}" height="{_n(bar.height)}" fill="#1d70b8"/>'
        )
        if labelled:
            parts.append(
                f'<text x="{_n(bar.label_x)}" y="{_n(chart.label_y)}" text-anchor="middle" font-size="12" '
                f'fill="#0b0c0c">{escape(bar.label)}</text>'
            )
    base = _n(chart.baseline)
    parts.append(
        f'<line x1="{chart.left}" x2="{_n(chart.right)}" y1="{base}" y2="{base}" stroke="#0b0c0c" stroke-width="1"/>'
        "</svg>"
    )
    return "".join(parts)


def row_svg(chart: RowChart, element_id: str) -> str:
    title = escape(chart.title + (": no figures yet" if chart.empty else ""))
    parts = [
        f'<svg class="relay-chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{element_id}-title" focusable="false"><title id="{element_id}-title">{title}</title>'
    ]
    for row in chart.rows:
        parts.append(
            f'<text x="0" y="{_n(row.text_y)}" font-size="13" fill="#0b0c0c">{escape(row.label)}</text>'
            f'<rect x="0" y="{_n(row.bar_y)}" width="{_n(row.width)}" height="16" fill="#1d70b8"/>'
            f'<text x="{_n(row.value_x)}" y="{_n(row.value_y)}" font-size="13" fill="#0b0c0c">'
            f"{escape(row.value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
