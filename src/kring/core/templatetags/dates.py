"""The date and number filters (a template builtin, see settings.TEMPLATES): |day, |day_time,
|when and |number. The rules live in kring.core.dates."""

from django import template

from kring.core.dates import long_date, long_date_time, number, relative

register = template.Library()

register.filter("day", lambda value, arg="": long_date(value, weekday=arg == "weekday"))
register.filter("day_time", long_date_time)
register.filter("when", relative)
register.filter("number", number)
