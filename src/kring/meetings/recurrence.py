"""Recurrence rules for session series, in local wall-clock time.

Rules are RFC 5545 RRULE strings without DTSTART. They are expanded from the first start's
*local* time in the series' time zone, so a session at 19:30 stays at 19:30 across daylight
saving changes. UNTIL is stored as a local date-time (floating), which is what the expansion
needs; the iCalendar export converts it to UTC as RFC 5545 asks when DTSTART has a TZID.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A series is a rhythm for a year or two, not an endless calendar.
MAX_OCCURRENCES = 200
DEFAULT_EVERY_WEEKS = 6
DEFAULT_MONTHS = 18
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALLOWED = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+(;[A-Z]+=[A-Z0-9,+\-]+)*$")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"timezone": _("Unknown time zone.")}) from exc


def _until(day: date) -> str:
    """The end of a local day, as a floating UNTIL value: 'up to and including' that date."""
    return datetime.combine(day, time(23, 59, 59)).strftime("%Y%m%dT%H%M%S")


def rule_every_weeks(weeks: int, *, until: date | None = None, count: int | None = None) -> str:
    if not 1 <= weeks <= 52:
        raise ValidationError({"every_weeks": _("Choose every 1 to 52 weeks.")})
    return _with_end(f"FREQ=WEEKLY;INTERVAL={weeks}", until=until, count=count)


def rule_monthly_nth_weekday(
    nth: int, weekday: str, *, until: date | None = None, count: int | None = None
) -> str:
    """E.g. the second Tuesday of every month: nth=2, weekday="TU"; nth=-1 is the last."""
    if nth not in (1, 2, 3, 4, -1):
        raise ValidationError({"nth": _("Choose the first to fourth, or the last, weekday.")})
    if weekday not in WEEKDAYS:
        raise ValidationError({"weekday": _("Choose a day of the week.")})
    return _with_end(f"FREQ=MONTHLY;BYDAY={nth:+d}{weekday}", until=until, count=count)


def _with_end(rule: str, *, until: date | None, count: int | None) -> str:
    if until is not None and count is not None:
        raise ValidationError({"until": _("End either on a date or after a number of sessions.")})
    if count is not None:
        if not 1 <= count <= MAX_OCCURRENCES:
            raise ValidationError(
                {"count": _("Between 1 and %(max)s sessions.") % {"max": MAX_OCCURRENCES}}
            )
        return f"{rule};COUNT={count}"
    if until is None:
        raise ValidationError({"until": _("Say until when the series runs.")})
    return f"{rule};UNTIL={_until(until)}"


def default_rule(first_start: datetime, tz: str) -> str:
    """The method's rhythm: every six weeks for eighteen months."""
    local = first_start.astimezone(zone(tz))
    return rule_every_weeks(
        DEFAULT_EVERY_WEEKS, until=local.date() + relativedelta(months=DEFAULT_MONTHS)
    )


def occurrences(rule: str, first_start: datetime, tz: str) -> list[datetime]:
    """The aware start times the rule gives, first_start included; ValidationError when the rule
    is malformed, gives nothing, or gives more than MAX_OCCURRENCES."""
    rule = (rule or "").strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[6:]
    if not _ALLOWED.match(rule) or "DTSTART" in rule:
        raise ValidationError({"rrule": _("This recurrence rule is not valid.")})
    tzinfo = zone(tz)
    local_start = first_start.astimezone(tzinfo).replace(tzinfo=None)
    try:
        parsed = rrulestr(rule, dtstart=local_start)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"rrule": _("This recurrence rule is not valid.")}) from exc
    if "COUNT=" not in rule and "UNTIL=" not in rule:
        raise ValidationError({"rrule": _("A series needs an end: a date or a number.")})
    starts = []
    for local in parsed:
        starts.append(_aware(local, tzinfo))
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "rrule": _("That makes more than %(max)s sessions; choose an earlier end.")
                    % {"max": MAX_OCCURRENCES}
                }
            )
    if not starts:
        raise ValidationError({"rrule": _("This rhythm gives no sessions.")})
    return starts


def _aware(local: datetime, tzinfo: ZoneInfo) -> datetime:
    """Local wall time to an aware time. A time that doesn't exist (the hour skipped in spring)
    moves forward by the gap, as calendar apps do."""
    aware = local.replace(tzinfo=tzinfo)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tzinfo).replace(tzinfo=None)
    if round_trip != local:
        aware = (local + timedelta(hours=1)).replace(tzinfo=tzinfo)
    return aware


def rule_until_before(rule: str, moment: datetime, tz: str) -> str:
    """The same rule, ending just before `moment` (for "this and following" splits)."""
    local = moment.astimezone(zone(tz)).replace(tzinfo=None) - timedelta(seconds=1)
    parts = [p for p in rule.split(";") if not p.startswith(("UNTIL=", "COUNT="))]
    return ";".join([*parts, f"UNTIL={local.strftime('%Y%m%dT%H%M%S')}"])


def rule_until_utc(rule: str, tz: str) -> str:
    """The rule for an iCalendar export: a floating local UNTIL becomes UTC (RFC 5545 3.3.10)."""
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and not part.endswith("Z"):
            local = datetime.strptime(part[6:], "%Y%m%dT%H%M%S").replace(tzinfo=zone(tz))
            part = "UNTIL=" + local.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
        parts.append(part)
    return ";".join(parts)
