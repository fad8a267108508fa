"""One date and number style: long dates, relative times for recent activity, the reader's
number format, in Dutch and English."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from kring.core.dates import long_date, long_date_time, number, relative

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 10, 17, 15, 0, tzinfo=AMS)


def _at(**delta) -> datetime.datetime:
    return NOW - datetime.timedelta(**delta)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "17 oktober 2026"), ("en", "17 October 2026")],
)
def test_long_date(language, expected):
    """A date reads as day, month written out, year."""
    with translation.override(language):
        assert long_date(datetime.date(2026, 10, 17)) == expected
        assert long_date(NOW) == expected


def test_long_date_with_weekday_and_time():
    """With the weekday in front, and with the time on the 24-hour clock."""
    with translation.override("nl"):
        assert long_date(datetime.date(2027, 1, 11), weekday=True) == "maandag 11 januari 2027"
        assert long_date_time(NOW) == "17 oktober 2026, 15:00"
    with translation.override("en"):
        assert long_date_time(NOW) == "17 October 2026, 15:00"


def test_long_date_is_local_time():
    """A moment late at night UTC is shown on the Amsterdam day."""
    late = datetime.datetime(2026, 10, 16, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert long_date_time(late) == "17 October 2026, 01:30"


def test_django_date_filter_uses_the_house_format():
    """Plain {{ value|date }} gives the long date in both languages too."""
    template = Template("{{ d|date }}")
    with translation.override("nl"):
        assert template.render(Context({"d": datetime.date(2026, 10, 17)})) == "17 oktober 2026"
    with translation.override("en"):
        assert formats.date_format(datetime.date(2026, 10, 17)) == "17 October 2026"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (_at(seconds=20), "just now"),
        (_at(minutes=5), "5\xa0minutes ago"),
        (_at(hours=3), "3\xa0hours ago"),
        (_at(hours=20), "yesterday"),
        (_at(days=4), "4 days ago"),
        (_at(days=9), "8 October 2026"),
        (NOW + datetime.timedelta(days=2), "19 October 2026"),
    ],
)
def test_relative_in_english(moment, expected):
    """Recent activity in words; older or future moments as a long date."""
    with translation.override("en"):
        assert relative(moment, now=NOW) == expected


def test_relative_in_dutch():
    """Dutch hours and older dates come out in Dutch."""
    with translation.override("nl"):
        assert relative(_at(hours=3), now=NOW) == "3\xa0uur geleden"
        assert relative(_at(days=30), now=NOW) == "17 september 2026"


def test_relative_for_a_date():
    """A bare date: today, yesterday, days ago, else the long date."""
    with translation.override("en"):
        assert relative(datetime.date(2026, 10, 17), now=NOW) == "today"
        assert relative(datetime.date(2026, 10, 16), now=NOW) == "yesterday"
        assert relative(datetime.date(2026, 10, 1), now=NOW) == "1 October 2026"


@pytest.mark.parametrize(
    ("language", "value", "decimals", "expected"),
    [
        ("nl", 1234.5, 1, "1.234,5"),
        ("en", 1234.5, 1, "1,234.5"),
        ("nl", 0.13, 2, "0,13"),
        ("nl", 14, None, "14"),
        ("en", 12000, None, "12,000"),
    ],
)
def test_number(language, value, decimals, expected):
    """Numbers use the reader's decimal and thousands separators."""
    with translation.override(language):
        assert number(value, decimals) == expected


def test_filters_in_a_template():
    """The filters load as {% load dates %} and treat empty values as nothing."""
    template = Template(
        "{% load dates %}[{{ d|day }}|{{ d|day:'weekday' }}|{{ n|number:1 }}|{{ x|when }}]"
    )
    with translation.override("en"):
        out = template.render(Context({"d": datetime.date(2027, 1, 11), "n": 3.14159, "x": None}))
    assert out == "[11 January 2027|Monday 11 January 2027|3.1|]"
    assert number("not a number") == "not a number"
