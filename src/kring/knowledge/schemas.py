from datetime import datetime

from ninja import Field, Schema

from kring.core.api_kit import PersonWithEmailRef
from kring.core.api_types import InputSchema


class SearchResultOut(Schema):
    type: str
    id: int
    title: str
    snippet: str
    snippet_html: str
    score: float
    url: str


class ExpertOut(Schema):
    email: str
    name: str
    reason: str


class SearchOut(Schema):
    total: int
    results: list[SearchResultOut]
    people: list[ExpertOut] | None = Field(
        None, description="Who knows about this (up to five members); only with people=true."
    )


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ItemIn(InputSchema):
    """A new item, or (PUT) every field of an existing one. Authors are e-mail addresses of
    members; none means the sender alone (PUT: authors left out stay as they are)."""

    kind: str = Field(..., max_length=40)
    title: str = Field(..., max_length=1000)
    body: str = Field("", max_length=100_000)
    sections: dict[str, str] = Field(default_factory=dict)
    url: str = Field("", max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=100)
    authors: list[str] | None = Field(None, max_length=100)
    featured: str | None = Field(None, max_length=40)
    note: str = Field("", max_length=200)


class ItemPatch(InputSchema):
    """Only the fields sent change."""

    kind: str | None = Field(None, max_length=40)
    title: str | None = Field(None, max_length=1000)
    body: str | None = Field(None, max_length=100_000)
    sections: dict[str, str] | None = None
    url: str | None = Field(None, max_length=2000)
    tags: list[str] | None = Field(None, max_length=100)
    authors: list[str] | None = Field(None, max_length=100)
    featured: str | None = Field(None, max_length=40)
    note: str = Field("", max_length=200)


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    body_html: str
    sections: dict[str, str]
    url: str
    tags: list[str]
    authors: list[PersonWithEmailRef]
    featured: str
    useful_count: int
    comment_count: int
    attachments: list[AttachmentOut]
    created_at: datetime
    updated_at: datetime
    page_url: str


class RevisionOut(Schema):
    number: int
    kind: str
    title: str
    body: str
    sections: dict[str, str]
    url: str
    tags: list[str]
    edited_by: PersonWithEmailRef | None
    note: str
    created_at: datetime


class UsefulOut(Schema):
    useful: bool
    useful_count: int


class CommentIn(InputSchema):
    body: str = Field(..., max_length=20_000)


class CommentOut(Schema):
    id: int
    author: PersonWithEmailRef
    body: str
    body_html: str
    created_at: datetime
