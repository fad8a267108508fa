"""What the polls API reads and writes. Length limits here are generous: the services give
the clear, translated messages for what is missing or too long (a question of 200
characters, two to twenty options).

Date-times without an offset ("2027-03-09T19:30") are read as local time in
Europe/Amsterdam, as the web form reads them."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from kring.core.api_kit import PersonRef
from kring.core.api_types import DbInt, Id, InputSchema, SaneDateTime

# Far above the services' limits (20 options of 200 characters), far below a burden.
MAX_OPTIONS_SENT = 100
OptionText = Annotated[str, Field(max_length=1000)]


class PollIn(InputSchema):
    """A poll with two or more options, optionally about a session or a discussion of this
    community (by id). `show_results`: `after_vote` (default) or `after_close`."""

    question: str = Field(..., max_length=1000)
    options: list[OptionText] = Field(..., max_length=MAX_OPTIONS_SENT)
    closes_at: SaneDateTime
    multiple: bool = False
    anonymous: bool = False
    show_results: str = Field("after_vote", max_length=20)
    session: Id | None = None
    thread: Id | None = None


class DatePollIn(InputSchema):
    """Candidate moments for the next session, answered yes, maybe or no; the winning one
    becomes a session with this title, address and length."""

    question: str = Field(..., max_length=1000)
    starts: list[SaneDateTime] = Field(..., max_length=MAX_OPTIONS_SENT)
    closes_at: SaneDateTime
    session_title: str = Field(..., max_length=1000)
    session_location: str = Field(..., max_length=1000)
    session_minutes: DbInt = 120
    anonymous: bool = False
    show_results: str = Field("after_vote", max_length=20)


class VoteIn(InputSchema):
    """`{option id: answer}`. A poll: `yes` for each option you choose (one, or more when
    the poll allows it). A date poll: `yes`, `maybe` or `no` for every date."""

    answers: dict[Id, Literal["yes", "maybe", "no"]] = Field(..., max_length=MAX_OPTIONS_SENT)


class PollSummaryOut(Schema):
    id: int
    kind: str = Field(..., description="`simple` or `date`.")
    question: str
    multiple: bool
    anonymous: bool
    show_results: str = Field(..., description="`after_vote` or `after_close`.")
    created_by: PersonRef | None
    created_at: datetime
    closes_at: datetime
    closed: bool = Field(..., description="Closed early, or its closing moment has passed.")
    closed_at: datetime | None
    voters: int = Field(..., description="How many people voted.")
    you_voted: bool
    session_id: int | None = Field(..., description="The session the poll is about.")
    thread_id: int | None = Field(
        ...,
        description="The discussion the poll is about; null too when a facilitator hid it "
        "and you may not read it.",
    )
    planned_session_id: int | None = Field(..., description="The session a date poll planned.")
    url: str


class PollOptionOut(Schema):
    id: int
    label: str = Field(..., description='A poll\'s option; "" for a date.')
    starts_at: datetime | None = Field(..., description="A date poll's moment; null otherwise.")
    your_answer: str | None = Field(
        ..., description="What you answered (`yes`, `maybe`, `no`); always null when anonymous."
    )


class PollOptionResultOut(Schema):
    option_id: int
    yes: int
    maybe: int
    no: int


class PollResultsOut(Schema):
    voters: int
    options: list[PollOptionResultOut]
    best_option_id: int | None = Field(
        ..., description="A date poll's best date (most yes, then maybe); null otherwise."
    )


class PollOut(PollSummaryOut):
    session_title: str | None = Field(..., description="A date poll's session; null otherwise.")
    session_location: str | None
    session_minutes: int | None
    options: list[PollOptionOut]
    results: PollResultsOut | None = Field(
        ...,
        description="Counts only, never who chose what. Null until you may see them: after "
        "your vote, or once the poll has closed (as its creator chose).",
    )
    can_vote: bool
    can_close: bool
    can_plan: bool


class PlannedOut(Schema):
    session_id: int
    session_url: str | None
