"""The descriptive fields of a session (title, agenda, where, places) and what they may hold.

The session services check every plan and change with these; the forms take their limits from
here, so a page and the API refuse the same things with the same words."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from kring.meetings.models import Mode

MAX_TITLE = 200
MAX_AGENDA = 20000
MAX_LOCATION = 300
MAX_VIDEO_URL = 500
MAX_CAPACITY = 10000
MAX_DURATION_MINUTES = 24 * 60
# Fields a facilitator may change on one session or on a session and the following ones.
DETAIL_FIELDS = (
    "title",
    "agenda",
    "mode",
    "location",
    "video_url",
    "capacity",
    "is_reflection",
    "is_open",
)

# Each cleaner turns a raw value into (clean value, error message or None).
Cleaned = tuple[Any, str | None]


def _clean_title(value: Any) -> Cleaned:
    title = " ".join((value or "").split())
    if not title:
        return title, _("Give the session a title.")
    if len(title) > MAX_TITLE:
        return title, _("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}
    return title, None


def _clean_agenda(value: Any) -> Cleaned:
    agenda = (value or "").strip()
    if len(agenda) > MAX_AGENDA:
        return agenda, _("The agenda is too long (at most %(max)s characters).") % {
            "max": MAX_AGENDA
        }
    return agenda, None


def _clean_mode(value: Any) -> Cleaned:
    mode = value or Mode.OFFLINE
    if mode not in Mode.values:
        return mode, _("Choose in person, online or hybrid.")
    return mode, None


def _clean_video_url(value: Any) -> Cleaned:
    url = (value or "").strip()
    if not url:
        return url, None
    if len(url) > MAX_VIDEO_URL:
        return url, _("The web address is too long.")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return url, _("Enter a web address starting with https://.")
    return url, None


def _clean_location(value: Any) -> Cleaned:
    location = (value or "").strip()
    if len(location) > MAX_LOCATION:
        return location, _("Keep the address to 300 characters.")
    return location, None


def _clean_capacity(value: Any) -> Cleaned:
    if value in ("", None):
        return None, None
    try:
        capacity = int(value)
    except (TypeError, ValueError):
        capacity = -1
    if not 1 <= capacity <= MAX_CAPACITY:
        return capacity, _("Give a number of places from 1, or leave it empty.")
    return capacity, None


def _clean_flag(value: Any) -> Cleaned:
    return bool(value), None


# In the order their errors are reported.
_CLEANERS: dict[str, Callable[[Any], Cleaned]] = {
    "title": _clean_title,
    "agenda": _clean_agenda,
    "mode": _clean_mode,
    "video_url": _clean_video_url,
    "location": _clean_location,
    "capacity": _clean_capacity,
    "is_reflection": _clean_flag,
    "is_open": _clean_flag,
}


def clean_details(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate the descriptive fields of a session; raises one ValidationError with all errors.
    `partial`: only the fields given (a change), otherwise all of them (a plan)."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, cleaner in _CLEANERS.items():
        if name in values or not partial:
            clean[name], error = cleaner(values.get(name))
            if error is not None:
                errors[name] = error
    if errors:
        raise ValidationError(errors)
    return clean


def check_where(session_like: dict[str, Any]) -> None:
    """An online or hybrid session needs a video link; one in person needs an address."""
    mode = session_like.get("mode")
    if mode in (Mode.ONLINE, Mode.HYBRID) and not session_like.get("video_url"):
        raise ValidationError({"video_url": _("An online or hybrid session needs a video link.")})
    if mode in (Mode.OFFLINE, Mode.HYBRID) and not session_like.get("location"):
        raise ValidationError({"location": _("A session in person needs an address.")})


def clean_duration(minutes: Any) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            {"duration_minutes": _("A session lasts between 1 minute and a day.")}
        )
    return minutes
