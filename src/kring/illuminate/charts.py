"""The value overview's chart: stories per cycle as horizontal bars, drawn by the server.

Same conventions as the insights charts (kring.insights.charts): role="img" with a title and a
description, every bar its own <title>, colours as presentation attributes (the CSP forbids
inline styles), a viewBox about as wide as a phone shows it so the text stays readable.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kring.insights.charts import COLOUR_AXIS, COLOUR_BAR, TEXT_SIZE, TREND_WIDTH, _svg_open

ROW_HEIGHT = 34
LABEL_ROW = 16  # the label sits above its bar: long Dutch labels need the whole width
MARGIN = 8
BAR_HEIGHT = 12
NUMBER_ROOM = 36


def bars_svg(rows: list[tuple[str, int]], *, chart_id: str, title: str, desc: str) -> SafeString:
    """One bar per (label, value), longest value the full width."""
    if not rows:
        return mark_safe("")
    top = max(value for _label, value in rows) or 1
    inner = TREND_WIDTH - 2 * MARGIN - NUMBER_ROOM
    height = MARGIN * 2 + ROW_HEIGHT * len(rows)
    text = f'font-size="{TEXT_SIZE}" fill="{COLOUR_AXIS}"'
    parts = [
        _svg_open(width=TREND_WIDTH, height=height, chart_id=chart_id, css="chart-bars"),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for n, (label, value) in enumerate(rows):
        y = MARGIN + ROW_HEIGHT * n
        width = round(inner * value / top, 1)
        shown = number_format(value)
        parts.append(
            f'<g class="chart-bar"><title>{escape(label)}: {escape(shown)}</title>'
            f'<text x="{MARGIN}" y="{y + 12}" {text} aria-hidden="true">{escape(label)}</text>'
            f'<rect x="{MARGIN}" y="{y + LABEL_ROW}" width="{max(width, 1)}" '
            f'height="{BAR_HEIGHT}" fill="{COLOUR_BAR}"/>'
            f'<text x="{MARGIN + max(width, 1) + 6}" y="{y + LABEL_ROW + BAR_HEIGHT - 1}" '
            f'{text} aria-hidden="true">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
