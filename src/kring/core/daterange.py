"""The one range of dates Kring accepts as input: 1 January 1900 to 31 December 2200.

Far beyond any real session, due date or history, and far enough from the ends of Python's
date range (years 1 and 9999) that converting to UTC or a local time zone never overflows.
Every edge (API schemas, forms, services, CLI options) checks with these helpers, before
anything is saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_YEAR = 1900
MAX_YEAR = 2200

# What can still be shown safely: a year of slack either side, for a moment stored in UTC
# whose local date is at the edge of the range.
SHOWN_FROM = datetime.datetime(MIN_YEAR - 1, 1, 1, tzinfo=datetime.UTC)
SHOWN_UNTIL = datetime.datetime(MAX_YEAR + 2, 1, 1, tzinfo=datetime.UTC)


def in_range(value) -> bool:
    """Whether a date or date-time (in its own offset) falls within the years Kring accepts."""
    if value is None:
        return True
    return MIN_YEAR <= value.year <= MAX_YEAR


def showable(value) -> bool:
    """Whether a stored date or date-time can be shown and converted to local time. Rows
    outside it were stored before the range was checked; lists and feeds leave them out."""
    if value is None:
        return True
    return MIN_YEAR - 1 <= value.year <= MAX_YEAR + 1


def message() -> str:
    return _("Choose a date between %(first)s and %(last)s.") % {
        "first": MIN_YEAR,
        "last": MAX_YEAR,
    }


def check(value, field: str = "__all__") -> None:
    """Raise a ValidationError on `field` when the date is outside the accepted range."""
    if not in_range(value):
        raise ValidationError({field: message()})


def validate(value) -> None:
    """A form field validator: the error stands next to the field."""
    if not in_range(value):
        raise ValidationError(message(), code="date_range")


def api_check(value):
    """A pydantic after-validator for the API schemas (422 before anything else runs)."""
    if isinstance(value, datetime.date) and not in_range(value):
        raise ValueError(message())
    return value
