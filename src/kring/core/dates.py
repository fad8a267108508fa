"""Kring's one date and number style, for templates (as filters) and Python alike.

- ``|day``: a long date, "17 oktober 2026" ("maandag 17 oktober 2026" with ``|day:"weekday"``).
- ``|day_time``: a long date with the time, "17 oktober 2026, 14:30".
- ``|when``: recent activity relative to now ("zojuist", "3 uur geleden", "gisteren",
  "4 dagen geleden"), older moments as a long date.
- ``|number``: a number in the reader's format, "1.234,5" in Dutch ("1,234.5" in English),
  ``|number:1`` for one decimal.

Dates are shown in the current time zone; the formats themselves live in kring/formats/.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

# Up to a week ago a relative time reads more easily than a date.
RELATIVE_DAYS = 7


def _local(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value)
        return value
    return value


def short_date(value, fmt: str = "j M") -> str:
    """A date in a chart's few characters ("12 okt", "mrt 2026"). Django's "M" capitalises
    the month; Dutch writes months in lowercase, so there it becomes "b"."""
    if (get_language() or "").startswith("nl"):
        fmt = fmt.replace("M", "b")
    return formats.date_format(value, fmt)


def long_date(value, weekday: bool = False) -> str:
    """17 oktober 2026 (or with the weekday in front). Takes an ISO date string too, as the
    insights documents store dates."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    value = _local(value)
    return formats.date_format(value, "l j F Y" if weekday else "DATE_FORMAT")


def long_date_time(value) -> str:
    """17 oktober 2026, 14:30 (a bare date shows as a long date)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return long_date(value)
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def relative(value, now: datetime.datetime | None = None) -> str:
    """How long ago, in words, for the past week; a long date before that or in the future."""
    if value in (None, ""):
        return ""
    now = timezone.localtime(now or timezone.now())
    if not isinstance(value, datetime.datetime):
        days = (now.date() - value).days
        if days < 0 or days >= RELATIVE_DAYS:
            return long_date(value)
        return _days_ago(days)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    value = timezone.localtime(value)
    delta = now - value
    if delta < datetime.timedelta(0) or delta.days >= RELATIVE_DAYS:
        return long_date(value)
    if delta < datetime.timedelta(minutes=1):
        return _("just now")
    days = (now.date() - value.date()).days
    # Earlier today, or late last night: hours read better than "yesterday".
    if days == 0 or delta < datetime.timedelta(hours=6):
        return _("%(ago)s ago") % {"ago": timesince(value, now, depth=1)}
    return _days_ago(days)


def _days_ago(days: int) -> str:
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(count)s day ago", "%(count)s days ago", days) % {"count": days}


def number(value, decimals=None) -> str:
    """A number with the reader's decimal and thousands separators."""
    if value in (None, ""):
        return ""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = None
    if decimals not in (None, ""):
        places = int(decimals)
        value = round(value, places)
    elif value == value.to_integral_value():
        value = value.to_integral_value()
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
