"""What the sessions and action points API reads and writes. Length limits here are generous:
the services give the clear, translated messages for what is missing or too long.

Date-times without an offset ("2027-01-12T19:30") are read as local time in the session's
time zone (Europe/Amsterdam unless `timezone` says otherwise)."""

from datetime import date, datetime

from ninja import Field, Schema

from kring.core.api_kit import PersonRef
from kring.core.api_types import DbInt, Id, InputSchema, SaneDate, SaneDateTime


class SessionIn(InputSchema):
    title: str = Field(..., max_length=1000)
    agenda: str = Field("", max_length=100_000)
    mode: str = Field("offline", max_length=20)
    location: str = Field("", max_length=1000)
    video_url: str = Field("", max_length=2000)
    starts_at: SaneDateTime
    ends_at: SaneDateTime
    timezone: str = Field("Europe/Amsterdam", max_length=64)
    capacity: DbInt | None = None
    is_reflection: bool = False
    is_open: bool = False
    facilitator_ids: list[Id] | None = Field(None, max_length=50)


class SeriesIn(InputSchema):
    """Every `every_weeks` weeks, or monthly on the `monthly_nth` (1-4, -1 for the last)
    `monthly_weekday` (MO-SU); until a date or a number of sessions. Without a rhythm and end:
    every six weeks for eighteen months."""

    title: str = Field(..., max_length=1000)
    agenda: str = Field("", max_length=100_000)
    mode: str = Field("offline", max_length=20)
    location: str = Field("", max_length=1000)
    video_url: str = Field("", max_length=2000)
    first_start: SaneDateTime
    duration_minutes: DbInt = 120
    timezone: str = Field("Europe/Amsterdam", max_length=64)
    capacity: DbInt | None = None
    is_reflection: bool = False
    is_open: bool = False
    facilitator_ids: list[Id] | None = Field(None, max_length=50)
    every_weeks: DbInt | None = None
    monthly_nth: DbInt | None = None
    monthly_weekday: str | None = Field(None, max_length=2)
    until: SaneDate | None = None
    count: DbInt | None = None


class SessionPatch(InputSchema):
    """Only the fields sent change; `scope` "following" changes this session and the later
    ones of its series."""

    scope: str = Field("this", max_length=20)
    title: str | None = Field(None, max_length=1000)
    agenda: str | None = Field(None, max_length=100_000)
    mode: str | None = Field(None, max_length=20)
    location: str | None = Field(None, max_length=1000)
    video_url: str | None = Field(None, max_length=2000)
    starts_at: SaneDateTime | None = None
    ends_at: SaneDateTime | None = None
    capacity: DbInt | None = None
    is_reflection: bool | None = None
    is_open: bool | None = None
    facilitator_ids: list[Id] | None = Field(None, max_length=50)


class CancelIn(InputSchema):
    reason: str = Field("", max_length=1000)
    scope: str = Field("this", max_length=20)


class RsvpIn(InputSchema):
    response: str = Field(..., max_length=10)
    note: str = Field("", max_length=1000)


class RsvpOut(Schema):
    response: str
    note: str
    waitlisted: bool
    responded_at: datetime


class SessionSummaryOut(Schema):
    id: int
    title: str
    status: str
    cancel_reason: str
    mode: str
    location: str
    video_url: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int | None
    is_reflection: bool
    is_open: bool
    series_id: int | None
    moved: bool
    facilitators: list[PersonRef]
    going_count: int
    attended_count: int
    my_rsvp: RsvpOut | None
    url: str | None


class MaterialRef(Schema):
    id: int
    title: str


class SessionOut(SessionSummaryOut):
    agenda: str
    agenda_html: str
    waiting_count: int
    materials: list[MaterialRef]
    can_edit: bool
    can_rsvp: bool
    can_record_attendance: bool


class SeriesOut(Schema):
    id: int
    title: str
    rrule: str
    first_start: datetime
    duration_minutes: int
    timezone: str
    sessions: list[SessionSummaryOut]


class RsvpPersonOut(Schema):
    person: PersonRef
    note: str
    responded_at: datetime


class RsvpsOut(Schema):
    """The waiting list is in order: the first gets the next free place."""

    going: list[RsvpPersonOut]
    waiting: list[RsvpPersonOut]
    maybe: list[RsvpPersonOut]
    no: list[RsvpPersonOut]


class AttendanceIn(InputSchema):
    user_id: Id
    # attended, absent or excused; null removes the registration.
    status: str | None = Field(..., max_length=20)


class AttendanceRowOut(Schema):
    person: PersonRef
    status: str | None
    rsvp: str | None


class ActionPointIn(InputSchema):
    what: str = Field(..., max_length=1000)
    owner_id: Id | None = None
    due_date: SaneDate | None = None
    session_id: Id | None = None


class ActionPointPatch(InputSchema):
    """Only the fields sent change; `owner_id` or `due_date` null clears it."""

    what: str | None = Field(None, max_length=1000)
    owner_id: Id | None = None
    due_date: SaneDate | None = None


class ActionPointOut(Schema):
    id: int
    what: str
    owner: PersonRef | None
    due_date: date | None
    overdue: bool
    done: bool
    done_at: datetime | None
    done_by: PersonRef | None
    session_id: int | None
    created_by: PersonRef | None
    created_at: datetime
    can_edit: bool
