"""The platform overview's activity chart: server-drawn SVG, no script, no inline style.

Text stays readable on a phone: the viewBox is barely wider than the narrowest width the
chart is shown at (NARROWEST_PX, inside a card at 390 px), so the font size in SVG units
is never scaled below MIN_TEXT_PX. tests/test_charts.py holds it to that."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kring.core.dates import short_date

WIDTH = 360
HEIGHT = 210
FONT_SIZE = 13
MIN_TEXT_PX = 11
# The chart's width in a card on a 390 px wide screen: 390 less the page's and the card's
# padding (2 x 16 px each) and the card's border.
NARROWEST_PX = 324
MARGIN_LEFT = 40
MARGIN_RIGHT = 22
MARGIN_TOP = 14
MARGIN_BOTTOM = 34
COLOUR_AXIS = "#4f5a62"
COLOUR_BAR = "#0b5563"
COLOUR_GRID = "#d9d4cb"


def _week_label(start) -> str:
    return short_date(start, "j M")


def weekly_activity_svg(weeks, *, chart_id: str = "platform-activity") -> SafeString:
    """Bars of actions per week, with the number of active people in each bar's title."""
    if not weeks:
        return mark_safe("")
    events = [w.events for w in weeks]
    top = max(events) or 1
    inner_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    base_y = HEIGHT - MARGIN_BOTTOM
    inner_h = base_y - MARGIN_TOP
    slot = inner_w / len(weeks)
    title = _("Actions per week, the last %(n)s weeks") % {"n": len(weeks)}
    desc = _(
        "From the week of %(first)s to the week of %(last)s: lowest %(low)s, highest "
        "%(high)s, %(latest)s this week."
    ) % {
        "first": _week_label(weeks[0].start),
        "last": _week_label(weeks[-1].start),
        "low": number_format(min(events)),
        "high": number_format(max(events)),
        "latest": number_format(events[-1]),
    }
    text = f'font-size="{FONT_SIZE}" fill="{COLOUR_AXIS}" aria-hidden="true"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-weeks" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{WIDTH - MARGIN_RIGHT}" '
        f'y2="{MARGIN_TOP}" stroke="{COLOUR_GRID}" stroke-width="1"/>',
        f'<line x1="{MARGIN_LEFT}" y1="{base_y}" x2="{WIDTH - MARGIN_RIGHT}" y2="{base_y}" '
        f'stroke="{COLOUR_AXIS}" stroke-width="1"/>',
        f'<text class="chart-label" x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" '
        f'text-anchor="end" {text}>{escape(number_format(top))}</text>',
        f'<text class="chart-label" x="{MARGIN_LEFT - 6}" y="{base_y + 4}" '
        f'text-anchor="end" {text}>0</text>',
    ]
    for n, week in enumerate(weeks):
        x = MARGIN_LEFT + slot * n
        h = round(inner_h * week.events / top, 1)
        label = _("Week of %(date)s: %(events)s actions by %(people)s people") % {
            "date": _week_label(week.start),
            "events": number_format(week.events),
            "people": number_format(week.people),
        }
        parts.append(
            f'<g class="chart-bar"><title>{escape(label)}</title>'
            f'<rect x="{round(x + slot * 0.15, 1)}" y="{round(base_y - h, 1)}" '
            f'width="{round(slot * 0.7, 1)}" height="{h}" fill="{COLOUR_BAR}"/></g>'
        )
        # This week and every third one before it: a date at 13 units is about three bars wide.
        if (len(weeks) - 1 - n) % 3 == 0:
            parts.append(
                f'<text class="chart-label" x="{round(x + slot / 2, 1)}" y="{base_y + 20}" '
                f'text-anchor="middle" {text}>{escape(_week_label(week.start))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
