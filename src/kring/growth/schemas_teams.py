"""What the teams API reads: teams, who is in them, their tasks and their discussion."""

from datetime import date, datetime

from ninja import Field, Schema

from kring.core.api_kit import PersonRef


class TeamMemberOut(PersonRef):
    lead: bool


class TeamTaskOut(Schema):
    id: int
    what: str
    owner: PersonRef | None
    due_date: date | None
    done: bool
    done_at: datetime | None
    created_at: datetime


class TeamSummaryOut(Schema):
    id: int
    name: str
    purpose: str
    members: list[TeamMemberOut] = Field(..., description="The lead first, then by name.")
    open_tasks: int = Field(..., description="How many tasks are still to do.")
    url: str


class TeamOut(TeamSummaryOut):
    tasks: list[TeamTaskOut] = Field(
        ...,
        description="The tasks still to do, soonest due first (at most 100; all tasks, done "
        "ones too, at `…/tasks`).",
    )
    can_read_discussion: bool = Field(
        ..., description="You are in the team or a facilitator: `…/posts` is yours to read."
    )


class TeamPostOut(Schema):
    id: int
    author: PersonRef | None = Field(..., description="Null once their account is gone.")
    text: str
    created_at: datetime
