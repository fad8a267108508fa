"""Server-drawn SVG for the sessions page: the rhythm of a series as a timeline, and attendance
per past session as stacked bars.

Plain strings, every text escaped. No inline styles (the CSP forbids them): colours are SVG
presentation attributes, so the charts print and work without the stylesheet, and classes let
kring.css adjust them. Each chart carries a role, a <title> and a <desc>; every dot and bar
has its own <title> (a tooltip, and read out by screen readers). The rhythm chart's dots are
links, so it is a role="group" (links may not sit inside an image); the attendance chart is an
image.

Text stays readable: an SVG scales with its viewBox, so the charts are drawn about as wide as a
phone shows them (320 px) and kring.css caps how wide they grow; 12 units of text are 11 px and
more at every width. Labels on the axes are thinned out so they never run into each other."""

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.core.dates import short_date
from kring.meetings import recurrence

# Colours meet 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOUR_PAST = "#4f5a62"
COLOUR_UPCOMING = "#0b5563"
COLOUR_CANCELLED = "#a1232b"
COLOUR_MOVED = "#9c3d00"
COLOUR_ATTENDED = "#1e6b3a"
COLOUR_EXCUSED = "#9c6b00"
COLOUR_ABSENT = "#a1232b"
COLOUR_AXIS = "#4f5a62"

CHART_WIDTH = 340
TIMELINE_HEIGHT = 112
BAR_HEIGHT = 170
MARGIN = 28
TEXT_SIZE = 12
# Room for one label on an axis, in units: "17 okt", "sep" with space around.
DAY_LABEL_ROOM = 50
MONTH_LABEL_ROOM = 36


@dataclass
class Dot:
    x: float
    state: str
    label: str
    href: str


def _local(moment: datetime, tz: str) -> datetime:
    try:
        zone = recurrence.zone(tz)
    except ValidationError:  # a zone the system no longer knows: the site's zone
        zone = None
    try:
        return timezone.localtime(moment, zone)
    except OverflowError:  # an impossible date stored before dates were checked: as stored
        return moment


def when_text(moment: datetime, tz: str) -> str:
    """'Tuesday 12 January 2027, 19:30', in a time zone and the reader's language."""
    return formats.date_format(_local(moment, tz), "l j F Y, H:i")


def time_text(moment: datetime, tz: str) -> str:
    return formats.date_format(_local(moment, tz), "H:i")


def session_when(session) -> str:
    """When a session starts, in its own time zone."""
    return when_text(session.starts_at, session.timezone)


def session_state(session, now: datetime) -> str:
    if session.is_cancelled:
        return "cancelled"
    if session.is_moved and session.starts_at >= now:
        return "moved"
    return "past" if session.starts_at < now else "upcoming"


STATE_LABELS = {
    "past": lambda: _("past"),
    "upcoming": lambda: _("upcoming"),
    "cancelled": lambda: _("cancelled"),
    "moved": lambda: _("moved"),
}


def _svg_open(
    *, width: int, height: int, title_id: str, desc_id: str, css: str, role: str = "img"
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="{role}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{title_id} {desc_id}" focusable="false" '
        f'font-family="system-ui, sans-serif">'
    )


def _month_starts(first: date, last: date) -> list[date]:
    months = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


@dataclass
class _Timeline:
    """The months a rhythm chart spans, and where a moment falls on its line."""

    months: list[date]
    start: datetime
    end: datetime

    @classmethod
    def around(cls, first: datetime, last: datetime) -> "_Timeline":
        months = _month_starts(timezone.localtime(first).date(), timezone.localtime(last).date())
        start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
        end_month = months[-1]
        end = timezone.make_aware(
            datetime(end_month.year + (end_month.month == 12), end_month.month % 12 + 1, 1)
        )
        return cls(months=months, start=start, end=end)

    @property
    def inner(self) -> int:
        return CHART_WIDTH - 2 * MARGIN

    def x_of(self, moment: datetime) -> float:
        span = (self.end - self.start).total_seconds() or 1
        return round(MARGIN + self.inner * (moment - self.start).total_seconds() / span, 1)


def _rhythm_dots(
    sessions: list, *, community, now: datetime, line: _Timeline
) -> tuple[list[Dot], dict[str, int]]:
    """A dot per session, and how many there are in each state."""
    counts = {"past": 0, "upcoming": 0, "cancelled": 0, "moved": 0}
    dots = []
    for session in sessions:
        state = session_state(session, now)
        counts[state] += 1
        label = f"{session_when(session)} · {session.title} ({STATE_LABELS[state]()})"
        if session.is_moved:
            label += " · " + _("moved from %(when)s") % {
                "when": formats.date_format(
                    _local(session.original_start, session.timezone), "j F Y, H:i"
                )
            }
        href = reverse("session-detail", kwargs={"slug": community.slug, "pk": session.pk})
        dots.append(Dot(x=line.x_of(session.starts_at), state=state, label=label, href=href))
    return dots, counts


def _month_ticks(line: _Timeline, axis_y: int) -> list[str]:
    """Month ticks; a label where there is room for one, the year below the first of each year."""
    parts = []
    step = max(1, math.ceil(MONTH_LABEL_ROOM * len(line.months) / line.inner))
    labelled_year = None
    for n, month in enumerate(line.months):
        x = line.x_of(timezone.make_aware(datetime(month.year, month.month, 1)))
        parts.append(
            f'<line class="chart-tick" x1="{x}" y1="{axis_y - 4}" x2="{x}" y2="{axis_y + 4}" '
            f'stroke="{COLOUR_AXIS}" stroke-width="1"/>'
        )
        if n % step == 0:
            parts.append(
                f'<text class="chart-label" x="{x}" y="{axis_y + 22}" font-size="{TEXT_SIZE}" '
                f'fill="{COLOUR_AXIS}" aria-hidden="true">'
                f"{escape(short_date(month, 'M'))}</text>"
            )
            if month.year != labelled_year:
                labelled_year = month.year
                parts.append(
                    f'<text class="chart-label" x="{x}" y="{axis_y + 38}" '
                    f'font-size="{TEXT_SIZE}" fill="{COLOUR_AXIS}" aria-hidden="true">'
                    f"{month.year}</text>"
                )
    return parts


def _today_mark(x: float, axis_y: int) -> str:
    today = escape(_("today"))
    return (
        f'<line class="chart-today" x1="{x}" y1="{axis_y - 24}" x2="{x}" y2="{axis_y + 8}" '
        f'stroke="{COLOUR_UPCOMING}" stroke-width="2" stroke-dasharray="3 2"/>'
        f'<text class="chart-label" x="{x}" y="{axis_y - 28}" font-size="{TEXT_SIZE}" '
        f'text-anchor="middle" fill="{COLOUR_UPCOMING}" aria-hidden="true">'
        f"{today}</text>"
    )


def rhythm_svg(
    sessions, *, community, now: datetime | None = None, chart_id: str = "rhythm"
) -> SafeString:
    """The sessions as dots on a line through the months: past, upcoming, cancelled, moved."""
    sessions = list(sessions)
    now = now or timezone.now()
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    title = _("The rhythm of the sessions")
    if not sessions:
        return mark_safe("")
    first = min(s.starts_at for s in sessions)
    last = max(s.starts_at for s in sessions)
    line = _Timeline.around(first, last)
    dots, counts = _rhythm_dots(sessions, community=community, now=now, line=line)
    desc = _(
        "%(total)s sessions from %(first)s to %(last)s: %(past)s past, %(upcoming)s upcoming, "
        "%(moved)s moved, %(cancelled)s cancelled."
    ) % {
        "total": len(sessions),
        "first": formats.date_format(timezone.localtime(first), "j F Y"),
        "last": formats.date_format(timezone.localtime(last), "j F Y"),
        **counts,
    }
    axis_y = 48
    parts = [
        _svg_open(
            width=CHART_WIDTH,
            height=TIMELINE_HEIGHT,
            title_id=title_id,
            desc_id=desc_id,
            css="chart-rhythm",
            role="group",
        ),
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<line class="chart-axis" x1="{MARGIN}" y1="{axis_y}" x2="{CHART_WIDTH - MARGIN}" '
        f'y2="{axis_y}" stroke="{COLOUR_AXIS}" stroke-width="1"/>',
        *_month_ticks(line, axis_y),
    ]
    if line.start <= now <= line.end:
        parts.append(_today_mark(line.x_of(now), axis_y))
    for dot in dots:
        parts.append(
            f'<a href="{escape(dot.href)}" class="rhythm-dot rhythm-{dot.state}">'
            f"<title>{escape(dot.label)}</title>{_dot_shape(dot, axis_y)}</a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _dot_shape(dot: Dot, y: int) -> str:
    if dot.state == "cancelled":
        # A hollow circle with a cross: not only colour tells it apart.
        return (
            f'<circle cx="{dot.x}" cy="{y}" r="6" fill="#ffffff" stroke="{COLOUR_CANCELLED}" '
            f'stroke-width="2"/><path d="M{dot.x - 4} {y - 4}L{dot.x + 4} {y + 4}'
            f'M{dot.x + 4} {y - 4}L{dot.x - 4} {y + 4}" stroke="{COLOUR_CANCELLED}" '
            f'stroke-width="2"/>'
        )
    if dot.state == "moved":
        return (
            f'<rect x="{dot.x - 5}" y="{y - 5}" width="10" height="10" '
            f'transform="rotate(45 {dot.x} {y})" fill="{COLOUR_MOVED}"/>'
        )
    if dot.state == "past":
        return f'<circle cx="{dot.x}" cy="{y}" r="5" fill="{COLOUR_PAST}"/>'
    return (
        f'<circle cx="{dot.x}" cy="{y}" r="6" fill="#ffffff" stroke="{COLOUR_UPCOMING}" '
        f'stroke-width="3"/>'
    )


def _attendance_bar(
    session, *, x: float, bar_width: float, base_y: int, scale: float, label_anchor: str | None
) -> list[str]:
    """One session's stacked bar with its tooltip, and its day below (unless `label_anchor` is
    None: labels are thinned out where bars are narrow)."""
    label = _("%(when)s: %(attended)s attended, %(excused)s excused, %(absent)s absent") % {
        "when": session_when(session),
        "attended": session.attended,
        "excused": session.excused,
        "absent": session.absent,
    }
    parts = [f'<g class="attendance-bar"><title>{escape(label)}</title>']
    y = base_y
    for value, colour, css in (
        (session.attended, COLOUR_ATTENDED, "bar-attended"),
        (session.excused, COLOUR_EXCUSED, "bar-excused"),
        (session.absent, COLOUR_ABSENT, "bar-absent"),
    ):
        if not value:
            continue
        h = round(value * scale, 1)
        y = round(y - h, 1)
        parts.append(
            f'<rect class="{css}" x="{x}" y="{y}" width="{bar_width}" height="{h}" '
            f'fill="{colour}"/>'
        )
    if not (session.attended or session.excused or session.absent):
        # Nothing registered: a thin outline, so the session still has its place.
        parts.append(
            f'<rect class="bar-empty" x="{x}" y="{base_y - 2}" width="{bar_width}" '
            f'height="2" fill="{COLOUR_AXIS}"/>'
        )
    if label_anchor is not None:
        day = short_date(_local(session.starts_at, session.timezone), "j M")
        label_x = round(x + bar_width if label_anchor == "end" else x + bar_width / 2, 1)
        parts.append(
            f'<text class="chart-label" x="{label_x}" y="{base_y + 18}" '
            f'font-size="{TEXT_SIZE}" text-anchor="{label_anchor}" fill="{COLOUR_AXIS}" '
            f'aria-hidden="true">{escape(day)}</text>'
        )
    parts.append("</g>")
    return parts


def attendance_svg(sessions, *, chart_id: str = "attendance") -> SafeString:
    """Stacked bars, one per past session: attended at the bottom, then excused, then absent.
    Each session needs `attended`, `excused` and `absent` counts (as
    selectors.attendance_by_session gives them)."""
    sessions = list(sessions)
    if not sessions:
        return mark_safe("")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    top = max((s.attended + s.excused + s.absent) for s in sessions) or 1
    # A fixed width (a wider picture would shrink its text on a phone): a handful of sessions
    # give slim bars rather than giant ones, many sessions narrow ones.
    width = CHART_WIDTH
    slot = min(40.0, (width - 2 * MARGIN) / len(sessions))
    height = BAR_HEIGHT + 40
    base_y = BAR_HEIGHT
    scale = (BAR_HEIGHT - 20) / top
    total_attended = sum(s.attended for s in sessions)
    desc = ngettext(
        "Attendance at the last session: %(attended)s attended in all.",
        "Attendance at the last %(count)s sessions: %(attended)s attended in all.",
        len(sessions),
    ) % {"count": len(sessions), "attended": total_attended}
    title = escape(_("Attendance per session"))
    parts = [
        _svg_open(
            width=width, height=height, title_id=title_id, desc_id=desc_id, css="chart-attendance"
        ),
        f'<title id="{title_id}">{title}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<line class="chart-axis" x1="{MARGIN - 4}" y1="{base_y}" x2="{width - MARGIN}" '
        f'y2="{base_y}" stroke="{COLOUR_AXIS}" stroke-width="1"/>',
        f'<text class="chart-label" x="{MARGIN - 6}" y="{base_y - top * scale + 4}" '
        f'font-size="{TEXT_SIZE}" text-anchor="end" fill="{COLOUR_AXIS}" '
        f'aria-hidden="true">{top}</text>',
        f'<text class="chart-label" x="{MARGIN - 6}" y="{base_y + 4}" font-size="{TEXT_SIZE}" '
        f'text-anchor="end" fill="{COLOUR_AXIS}" aria-hidden="true">0</text>',
    ]
    bar_width = round(slot * 0.8, 1)
    label_every = max(1, math.ceil(DAY_LABEL_ROOM / slot))
    # The latest session is always labelled: count the thinning back from it.
    last = len(sessions) - 1
    for n, session in enumerate(sessions):
        labelled = (last - n) % label_every == 0
        parts += _attendance_bar(
            session,
            x=round(MARGIN + n * slot + slot * 0.1, 1),
            bar_width=bar_width,
            base_y=base_y,
            scale=scale,
            # The latest label ends at its bar, so it never runs off the chart.
            label_anchor=(
                None if not labelled else "end" if n == last and label_every > 1 else "middle"
            ),
        )
    if not any(s.attended or s.excused or s.absent for s in sessions):
        nothing = escape(_("No attendance recorded yet."))
        parts.append(
            f'<text class="chart-label" x="{width / 2}" y="{BAR_HEIGHT / 2}" '
            f'font-size="{TEXT_SIZE + 1}" text-anchor="middle" fill="{COLOUR_AXIS}">'
            f"{nothing}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
