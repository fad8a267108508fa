"""The life stage over time, drawn by the server as a small SVG step chart (the same
conventions as kring.insights.charts: role="img" with a <title> and a <desc>, every point its
own <title>, every text escaped, readable at a phone's width)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kring.communities.models import Stage
from kring.core.dates import long_date, short_date
from kring.insights.charts import COLOUR_AXIS, COLOUR_LINE, TEXT_SIZE, _svg_open

WIDTH = 340
ROW = 26
TOP = 14
LEFT = 104
RIGHT = 16
STAGES = list(Stage)


def stage_changes(points: list) -> list[dict]:
    """The moments the stage changed (the first point included): what the chart shows, as
    rows for a table."""
    rows: list[dict] = []
    for point in points:
        if not rows or rows[-1]["key"] != point.key:
            rows.append(
                {
                    "key": point.key,
                    "label": Stage(point.key).label,
                    "moment": point.moment,
                    "corrected": point.corrected,
                }
            )
    return rows


def stage_timeline_svg(points: list, *, chart_id: str = "stage-timeline") -> SafeString:
    """One dot per moment at the height of its stage, joined by steps; a corrected stage is
    an open dot."""
    if not points:
        return mark_safe("")
    base = TOP + ROW * len(STAGES)
    height = base + 30
    inner = WIDTH - LEFT - RIGHT
    first, last = points[0].moment, points[-1].moment
    span = (last - first).total_seconds() or 1.0

    def x_of(moment) -> float:  # noqa: ANN001
        if len(points) == 1:
            return LEFT + inner / 2
        return round(LEFT + inner * (moment - first).total_seconds() / span, 1)

    def y_of(key: str) -> float:
        return TOP + ROW * (len(STAGES) - 1 - STAGES.index(Stage(key))) + ROW / 2

    changes = stage_changes(points)
    desc = "; ".join(
        _("%(stage)s from %(date)s") % {"stage": row["label"], "date": long_date(row["moment"])}
        for row in changes
    )
    title = _("The life stage over time")
    parts = [
        _svg_open(width=WIDTH, height=height, chart_id=chart_id, css="chart-stage"),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for stage in STAGES:
        y = y_of(stage)
        parts.append(
            f'<text class="chart-label" x="{LEFT - 8}" y="{y + 4}" font-size="{TEXT_SIZE}" '
            f'text-anchor="end" fill="{COLOUR_AXIS}" aria-hidden="true">'
            f"{escape(stage.label)}</text>"
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#d5dade" '
            f'stroke-width="1" aria-hidden="true"/>'
        )
    path = []
    for n, point in enumerate(points):
        x, y = x_of(point.moment), y_of(point.key)
        if n:
            path.append(f"H{x} V{y}")
        else:
            path.append(f"M{x} {y}")
    parts.append(
        f'<path d="{" ".join(path)}" fill="none" stroke="{COLOUR_LINE}" stroke-width="2" '
        f'aria-hidden="true"/>'
    )
    for point in points:
        label = f"{long_date(point.moment)}: {Stage(point.key).label}"
        if point.corrected:
            label += " " + _("(corrected by a facilitator)")
        fill = "#ffffff" if point.corrected else COLOUR_LINE
        parts.append(
            f'<g class="trend-point"><title>{escape(label)}</title>'
            f'<circle cx="{x_of(point.moment)}" cy="{y_of(point.key)}" r="4" fill="{fill}" '
            f'stroke="{COLOUR_LINE}" stroke-width="2"/></g>'
        )
    for moment, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f'<text class="chart-label" x="{x_of(moment)}" y="{base + 18}" font-size="{TEXT_SIZE}" '
            f'text-anchor="{anchor if len(points) > 1 else "middle"}" fill="{COLOUR_AXIS}" '
            f'aria-hidden="true">{escape(short_date(moment, "M Y"))}</text>'
        )
        if len(points) == 1:
            break
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
