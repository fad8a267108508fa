"""What the conversations API reads and writes. Length limits are generous here: the
services give the clear, translated messages for what is too long or missing."""

from datetime import datetime

from ninja import Field, Schema

from kring.core.api_kit import PersonRef
from kring.core.api_types import Id, InputSchema


class ThreadIn(InputSchema):
    kind: str = Field(..., max_length=20)
    title: str = Field(..., max_length=1000)
    body: str = Field("", max_length=100_000)
    tags: list[str] = Field(default_factory=list, max_length=100)


class ThreadPatch(InputSchema):
    """Only the fields sent change."""

    title: str | None = Field(None, max_length=1000)
    body: str | None = Field(None, max_length=100_000)
    tags: list[str] | None = Field(None, max_length=100)


class ReplyIn(InputSchema):
    body: str = Field(..., max_length=100_000)
    parent_id: Id | None = None


class ReplyPatch(InputSchema):
    body: str = Field(..., max_length=100_000)


class AcceptIn(InputSchema):
    reply_id: Id


class ThreadSummaryOut(Schema):
    id: int
    kind: str
    title: str
    author: PersonRef
    tags: list[str]
    reply_count: int
    useful_count: int
    answered: bool
    accepted_reply_id: int | None
    locked: bool
    hidden: bool
    created_at: datetime
    last_activity_at: datetime
    first_response_at: datetime | None
    url: str | None


class ReplyOut(Schema):
    id: int
    parent_id: int | None
    author: PersonRef
    body: str
    body_html: str
    useful_count: int
    marked_useful: bool
    accepted: bool
    hidden: bool
    created_at: datetime
    edited_at: datetime | None
    children: list["ReplyOut"] = Field(default_factory=list)


class ThreadOut(ThreadSummaryOut):
    body: str
    body_html: str
    marked_useful: bool
    accepted_at: datetime | None
    time_to_first_response_seconds: int | None
    edited_at: datetime | None
    can_reply: bool
    can_accept: bool
    can_edit: bool
    replies: list[ReplyOut]


class UsefulOut(Schema):
    useful: bool
    useful_count: int


class NotificationOut(Schema):
    id: int
    kind: str
    actor: PersonRef | None
    community: str | None
    thread_id: int | None
    thread_title: str | None
    reply_id: int | None
    url: str | None
    created_at: datetime
    read: bool


class CountOut(Schema):
    count: int
