"""Forms for planning sessions, RSVPs and attendance. They parse and shape input (local dates
and times into aware moments, a rhythm into a recurrence rule); the services decide what is
valid and say so under the field names used here."""

from datetime import date, datetime, time, timedelta
from zoneinfo import available_timezones

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import daterange
from kring.core.forms import WRITING_HINT, Picker, PickerMultiple, WritingBox
from kring.meetings import recurrence
from kring.meetings.details import DETAIL_FIELDS, MAX_AGENDA, MAX_TITLE
from kring.meetings.models import (
    DEFAULT_TIMEZONE,
    AttendanceStatus,
    Mode,
    RsvpResponse,
    Session,
)

OTHER_ZONE = "other"
# The zones a Dutch-speaking community most likely meets in; the full list is behind "other".
LIKELY_ZONES = [
    ("Europe/Amsterdam", _("Netherlands (Amsterdam)")),
    ("Europe/Brussels", _("Belgium (Brussels)")),
    ("Europe/Berlin", _("Germany (Berlin)")),
    ("Europe/London", _("United Kingdom (London)")),
    ("America/Curacao", _("Curaçao, Aruba, Bonaire")),
    ("America/Paramaribo", _("Suriname (Paramaribo)")),
]


def _timezones() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [(z, z.replace("_", " ")) for z in zones]


def community_timezone(community) -> str:
    """The zone a community meets in: that of its latest session (Community has no zone of
    its own), else the platform's default."""
    if community is None:
        return DEFAULT_TIMEZONE
    latest = (
        Session.objects.filter(community=community)
        .order_by("-starts_at")
        .values_list("timezone", flat=True)
        .first()
    )
    return latest or DEFAULT_TIMEZONE


def aware(day: date, at: time, tz: str) -> datetime:
    """A local date and wall-clock time in a zone, as an aware moment (a time skipped by the
    spring change moves forward, as calendar apps do)."""
    return recurrence._aware(datetime.combine(day, at), recurrence.zone(tz))


class SessionDetailsForm(forms.Form):
    """What every session has: title, where, agenda, places, and its kind."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={
            "required": _("Give the session a title."),
            "max_length": _("Keep the title to %(limit_value)s characters."),
        },
    )
    mode = forms.ChoiceField(
        label=_("Where"), choices=Mode.choices, initial=Mode.OFFLINE, widget=forms.RadioSelect
    )
    location = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Needed for a session in person or hybrid."),
        error_messages={"max_length": _("Keep the address to %(limit_value)s characters.")},
    )
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=500,
        required=False,
        help_text=_("Needed for an online or hybrid session. Only members see it."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"max_length": _("The web address is too long.")},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty for no limit. When it is full, people join a waiting list."),
        error_messages={
            "invalid": _("Give a number of places from 1, or leave it empty."),
            "min_value": _("Give a number of places from 1, or leave it empty."),
            "max_value": _("Give a number of places from 1, or leave it empty."),
        },
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=MAX_AGENDA,
        widget=WritingBox(attrs={"rows": 8}),
        help_text=WRITING_HINT,
        error_messages={
            "max_length": _("The agenda is too long (at most %(limit_value)s characters).")
        },
    )
    is_reflection = forms.BooleanField(
        label=_("A reflection session: we look back on what we did and learned"), required=False
    )
    is_open = forms.BooleanField(
        label=_("Open to guests: show it on the community's public spotlight"),
        required=False,
        help_text=_("Visitors of the spotlight see the date and place, and can write to you."),
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=None,
        required=False,
        widget=PickerMultiple(attrs={"size": 6}, placeholder=_("Type a name…")),
        help_text=_("Leave empty to be the facilitator yourself."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = members

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in DETAIL_FIELDS}

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        # The same rule as the service, checked here so the message stands next to the field.
        if mode in (Mode.OFFLINE, Mode.HYBRID) and not (data.get("location") or "").strip():
            self.add_error("location", _("A session in person needs an address."))
        if mode in (Mode.ONLINE, Mode.HYBRID) and not (data.get("video_url") or "").strip():
            self.add_error("video_url", _("An online or hybrid session needs a video link."))
        return data


class TimesMixin:
    """A date with a start and end time; the end is on the same day, after the start."""

    def clean_times(self, data: dict, tz: str) -> None:
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return
        if end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
            return
        data["starts_at"] = aware(day, start, tz)
        data["ends_at"] = aware(day, end, tz)


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose a date."), "invalid": _("Enter a date.")},
        validators=[daterange.validate],
    )


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose a time."), "invalid": _("Enter a time, e.g. 19:30.")},
    )


def _next_default_day() -> date:
    return timezone.localdate() + timedelta(days=14)


class SessionForm(TimesMixin, SessionDetailsForm):
    """One session outside any series."""

    date = _date_field(_("Date"))
    start_time = _time_field(_("Starts at"))
    end_time = _time_field(_("Ends at"))
    tz = forms.ChoiceField(label=_("Time zone"), initial=DEFAULT_TIMEZONE)
    tz_other = forms.ChoiceField(
        label=_("Other time zone"),
        required=False,
        widget=Picker(placeholder=_("Type a city…")),
        help_text=_("Type a big city near you, e.g. Madrid or New York."),
    )

    field_order = ["title", "date", "start_time", "end_time", "tz", "tz_other"]

    def __init__(self, *args, community=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {"date": _next_default_day(), "start_time": time(19, 30), "end_time": time(21, 30)},
        )
        super().__init__(*args, **kwargs)
        zone = community_timezone(community)
        likely = list(LIKELY_ZONES)
        if zone not in dict(likely):
            likely.insert(0, (zone, zone.replace("_", " ")))
        self.fields["tz"].choices = [*likely, (OTHER_ZONE, _("Another time zone…"))]
        self.fields["tz"].initial = zone
        self.fields["tz_other"].choices = [("", ""), *_timezones()]

    def clean(self):
        data = super().clean()
        if data.get("tz") == OTHER_ZONE:
            if not data.get("tz_other"):
                self.add_error("tz_other", _("Choose the time zone."))
                return data
            data["tz"] = data["tz_other"]
        self.clean_times(data, data.get("tz") or DEFAULT_TIMEZONE)
        return data


class SessionUpdateForm(TimesMixin, SessionDetailsForm):
    """Change a session; in a series, for this one only or for this and the following ones."""

    date = _date_field(_("Date"))
    start_time = _time_field(_("Starts at"))
    end_time = _time_field(_("Ends at"))
    scope = forms.ChoiceField(
        label=_("Change"),
        choices=[
            ("this", _("Only this session")),
            ("following", _("This and the following sessions")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    field_order = ["title", "date", "start_time", "end_time"]

    def __init__(self, *args, session, **kwargs):
        self.session = session
        local = timezone.localtime(session.starts_at, recurrence.zone(session.timezone))
        local_end = timezone.localtime(session.ends_at, recurrence.zone(session.timezone))
        initial = {name: getattr(session, name) for name in DETAIL_FIELDS}
        initial.update(
            date=local.date(),
            start_time=local.time().replace(second=0, microsecond=0),
            end_time=local_end.time().replace(second=0, microsecond=0),
            scope="this",
        )
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].initial = [p.pk for p in session.facilitators.all()]
        if session.series_id is None:
            del self.fields["scope"]

    def clean(self):
        data = super().clean()
        self.clean_times(data, self.session.timezone)
        return data

    def changes(self) -> dict:
        """Only what was changed: "this and following" must not copy unchanged fields of this
        session over the following ones."""
        data = self.cleaned_data
        changes = {name: data[name] for name in DETAIL_FIELDS if name in self.changed_data}
        if {"date", "start_time", "end_time"} & set(self.changed_data):
            changes["starts_at"] = data["starts_at"]
            changes["ends_at"] = data["ends_at"]
        if "facilitators" in self.changed_data:
            changes["facilitators"] = list(data["facilitators"])
        return changes


RHYTHM_CHOICES = [
    ("weeks", _("Every few weeks")),
    ("monthly", _("Monthly, on a weekday")),
]
END_CHOICES = [
    ("until", _("Until a date")),
    ("count", _("After a number of sessions")),
]
NTH_CHOICES = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]
WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class SeriesForm(SessionForm):
    """A rhythm of sessions. The defaults are the method's: every six weeks for 18 months."""

    rhythm = forms.ChoiceField(
        label=_("Rhythm"), choices=RHYTHM_CHOICES, initial="weeks", widget=forms.RadioSelect
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        min_value=1,
        max_value=52,
        initial=recurrence.DEFAULT_EVERY_WEEKS,
        error_messages={
            "invalid": _("Choose every 1 to 52 weeks."),
            "min_value": _("Choose every 1 to 52 weeks."),
            "max_value": _("Choose every 1 to 52 weeks."),
        },
    )
    nth = forms.ChoiceField(label=_("Which one in the month"), choices=NTH_CHOICES, required=False)
    weekday = forms.ChoiceField(
        label=_("Weekday"),
        choices=[("", _("The weekday of the first date")), *WEEKDAY_CHOICES],
        required=False,
    )
    ends = forms.ChoiceField(
        label=_("The series ends"), choices=END_CHOICES, initial="until", widget=forms.RadioSelect
    )
    until = forms.DateField(
        label=_("Last possible date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Sessions up to and including this date."),
        error_messages={"invalid": _("Enter a date.")},
        validators=[daterange.validate],
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=1,
        max_value=recurrence.MAX_OCCURRENCES,
        error_messages={
            "invalid": _("Give a number of sessions."),
            "min_value": _("At least one session."),
            "max_value": _("At most %(limit_value)s sessions."),
        },
    )

    field_order = [
        "title",
        "date",
        "start_time",
        "end_time",
        "tz",
        "tz_other",
        "rhythm",
        "every_weeks",
        "nth",
        "weekday",
        "ends",
        "until",
        "count",
    ]

    def __init__(self, *args, **kwargs):
        first = _next_default_day()
        kwargs.setdefault(
            "initial",
            {
                "date": first,
                "start_time": time(19, 30),
                "end_time": time(21, 30),
                "until": first + relativedelta(months=recurrence.DEFAULT_MONTHS),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("First date")

    def clean(self):
        data = super().clean()
        if "starts_at" not in data:
            return data
        if data.get("ends") == "count":
            if data.get("count") is None and "count" not in self.errors:
                self.add_error("count", _("Give a number of sessions."))
                return data
            end = {"count": data.get("count")}
        else:
            if data.get("until") is None and "until" not in self.errors:
                self.add_error("until", _("Say until when the series runs."))
                return data
            if data.get("until") and data["until"] < data["date"]:
                self.add_error("until", _("The last date comes after the first."))
                return data
            end = {"until": data.get("until")}
        if self.errors:
            return data
        try:
            if data.get("rhythm") == "monthly":
                nth = int(data.get("nth") or 1)
                weekday = data.get("weekday") or recurrence.WEEKDAYS[data["date"].weekday()]
                rule = recurrence.rule_monthly_nth_weekday(nth, weekday, **end)
            else:
                weeks = data.get("every_weeks")
                if weeks is None:
                    self.add_error("every_weeks", _("Choose every 1 to 52 weeks."))
                    return data
                rule = recurrence.rule_every_weeks(weeks, **end)
            tz = data.get("tz") or DEFAULT_TIMEZONE
            data["rule"] = rule
            data["occurrences"] = recurrence.occurrences(rule, data["starts_at"], tz)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(RULE_ERROR_FIELDS.get(name, name), errors)
        return data


# Errors from the recurrence rules, shown next to these fields.
RULE_ERROR_FIELDS = {"rrule": "ends", "timezone": "tz", "first_start": "date"}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (shown to everyone)"),
        required=False,
        max_length=300,
        error_messages={"max_length": _("Keep the reason to %(limit_value)s characters.")},
    )
    scope = forms.ChoiceField(
        label=_("Cancel"),
        choices=[
            ("this", _("Only this session")),
            ("following", _("This and the following sessions")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        if session.series_id is None:
            del self.fields["scope"]


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=RsvpResponse.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose coming, maybe or not coming."),
            "invalid_choice": _("Choose coming, maybe or not coming."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("For example: I'll be a little late."),
        error_messages={"max_length": _("Keep the note to %(limit_value)s characters.")},
    )


ATTENDANCE_CHOICES = [("", _("Not registered")), *AttendanceStatus.choices]


def attendance_value(raw) -> str | None:
    """The status posted for one row: a known status, None for none; ValueError otherwise."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    if raw not in AttendanceStatus.values:
        raise ValueError(raw)
    return raw


class MaterialsForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Library items"),
        queryset=None,
        required=False,
        widget=PickerMultiple(attrs={"size": 8}, placeholder=_("Type a title…")),
    )

    def __init__(self, *args, items=None, shown=None, lookup_url: str = "", **kwargs):
        """`items`: every item that may be chosen (checked when sent); `shown`: the few the
        list offers (the latest and the linked ones), the picker finds others at
        `lookup_url`."""
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        if shown is not None:
            self.fields["items"].widget.choices = [(item.pk, item.title) for item in shown]
        if lookup_url:
            self.fields["items"].widget.attrs["data-picker-url"] = lookup_url
