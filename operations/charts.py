"""Server-rendered SVG charts: the geometry here, the markup in templates/operations/_chart_*.html.

No JavaScript and no chart library. Horizontal positions are percentages of the chart's width and
vertical ones are pixels, so a chart fills any screen width while its text keeps its size: a phone
shows the same chart as a desktop, only narrower. Axis values are written on their grid lines, at the
left edge, so no fixed margin is needed for them.

Charts are pictures for people who can see them: the page shows the same figures as text and in a
table, and each chart carries a <title> and a <desc> in words (role="img").
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

HEIGHT = 200  # px, the whole chart
PLOT_TOP = 18  # px: room above the top grid line for its value
PLOT_BOTTOM = 176  # px: the zero line; the day labels go below it
LABEL_BASELINE = 194  # px
BAR_SHARE = Decimal("0.7")  # of each day's slot; the rest is the gap between bars
MAX_TICKS = 4  # grid lines above zero, at most
MAX_DAY_LABELS = 7  # day labels under the axis, at most (today is always one of them)
EDGE = Decimal("8")  # %: a label whose centre is this close to an edge is aligned to it instead

Number = int | Decimal


@dataclass(frozen=True)
class Series:
    name: str  # shown in the legend and in each bar's tooltip
    css_class: str  # colours the bars (static/css/site.css, "Dashboard")
    values: Sequence[Number]  # one per day


@dataclass(frozen=True)
class Segment:
    css_class: str
    y: str  # px, top of the segment
    height: str  # px
    tooltip: str


@dataclass(frozen=True)
class Bar:
    x: str  # percent of the width, left edge
    width: str  # percent of the width
    segments: list[Segment]


@dataclass(frozen=True)
class Tick:
    y: str  # px, the grid line
    label: str


@dataclass(frozen=True)
class DayLabel:
    x: str  # percent of the width
    anchor: str  # start | middle | end
    text: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str  # unique on the page: ids of the title and the description
    title: str
    description: str
    height: int
    baseline: int  # px, the zero line
    label_y: int  # px, the baseline of the day labels
    bars: list[Bar]
    ticks: list[Tick]
    day_labels: list[DayLabel]
    legend: list[tuple[str, str]]  # (css class, name)


@dataclass(frozen=True)
class Part:
    x: str  # percent
    width: str  # percent
    css_class: str
    tooltip: str


@dataclass(frozen=True)
class ShareBar:
    chart_id: str
    title: str
    description: str
    parts: list[Part]


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001'))}%"


def _px(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def nice_step(top: Number) -> Decimal:
    """The grid step for values up to `top`: 1, 2 or 5 times a power of ten, at least 1, such that at
    most MAX_TICKS lines cover `top`."""
    raw = Decimal(top) / MAX_TICKS
    if raw <= 1:
        return Decimal(1)
    exponent = raw.adjusted()  # the power of ten of the first digit
    scale = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        if raw <= factor * scale:
            return factor * scale
    raise AssertionError("unreachable: raw <= 10 * scale by the choice of exponent")


def day_label_indexes(count: int) -> list[int]:
    """Which days get a label: every `step`-th counted back from the last (today), at most
    MAX_DAY_LABELS of them."""
    step = max(1, math.ceil(count / MAX_DAY_LABELS))
    return sorted(range(count - 1, -1, -step))


def daily_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    days: Sequence[date],
    series: Sequence[Series],
    day_text: Callable[[date], str],
    value_text: Callable[[Number], str],
    tick_text: Callable[[Number], str] | None = None,
) -> BarChart:
    """One bar per day, the series stacked in the order given (the first at the bottom). `value_text`
    writes a bar's value in its tooltip, `tick_text` (by default the same) a grid line's."""
    tick_text = tick_text or value_text
    count = len(days)
    totals = [sum((Decimal(s.values[i]) for s in series), Decimal(0)) for i in range(count)]
    step = nice_step(max(totals, default=0))
    top = max(step, math.ceil(max(totals, default=0) / step) * step)
    plot_height = Decimal(PLOT_BOTTOM - PLOT_TOP)
    slot = Decimal(100) / count if count else Decimal(100)
    width = slot * BAR_SHARE
    gap = (slot - width) / 2

    bars = []
    for index, day in enumerate(days):
        segments = []
        below = Decimal(0)
        for one in series:
            value = Decimal(one.values[index])
            if value <= 0:
                continue
            height = value / top * plot_height
            base = PLOT_BOTTOM - below / top * plot_height
            segments.append(
                Segment(
                    css_class=one.css_class,
                    y=_px(base - height),
                    height=_px(height),
                    tooltip=f"{day_text(day)}: {one.name} {value_text(one.values[index])}",
                )
            )
            below += value
        bars.append(Bar(x=_pct(index * slot + gap), width=_pct(width), segments=segments))

    ticks = []
    value = Decimal(0)
    while value <= top:
        ticks.append(Tick(y=_px(PLOT_BOTTOM - value / top * plot_height), label=tick_text(value)))
        value += step

    labels = []
    for index in day_label_indexes(count):
        centre = index * slot + slot / 2
        if centre < EDGE:
            labels.append(DayLabel(x=_pct(index * slot), anchor="start", text=day_text(days[index])))
        elif centre > 100 - EDGE:
            labels.append(DayLabel(x=_pct((index + 1) * slot), anchor="end", text=day_text(days[index])))
        else:
            labels.append(DayLabel(x=_pct(centre), anchor="middle", text=day_text(days[index])))

    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        height=HEIGHT,
        baseline=PLOT_BOTTOM,
        label_y=LABEL_BASELINE,
        bars=bars,
        ticks=ticks,
        day_labels=labels,
        legend=[(one.css_class, one.name) for one in series],
    )


def share_bar(
    *, chart_id: str, title: str, description: str, parts: Sequence[tuple[str, str, Number]]
) -> ShareBar:
    """One horizontal bar split into the shares of (name, css class, count) parts; empty parts are
    left out, and with nothing counted there are no parts at all."""
    total = sum((Decimal(count) for _name, _css, count in parts), Decimal(0))
    drawn = []
    left = Decimal(0)
    if total > 0:
        for name, css_class, count in parts:
            if not count:
                continue
            width = Decimal(count) * 100 / total
            drawn.append(
                Part(x=_pct(left), width=_pct(width), css_class=css_class, tooltip=f"{name}: {count}")
            )
            left += width
    return ShareBar(chart_id=chart_id, title=title, description=description, parts=drawn)
