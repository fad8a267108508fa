from datetime import datetime

from ninja import Field, Schema

from kring.core.api_kit import PersonRef
from kring.core.api_types import Id, InputSchema

# Far above a cycle's limit (the service says how long a cycle may be), far below a body
# that would be a burden to read.
CYCLE_TEXT_MAX = 10_000


class CyclesOut(Schema):
    """Each cycle's text; "" where the story is silent about it."""

    immediate: str
    potential: str
    applied: str
    realised: str
    reframing: str


class PerspectiveOut(Schema):
    key: str
    name: str


class ValueStoryIn(InputSchema):
    """A new story. `cycles` is an object keyed by cycle (immediate, potential, applied,
    realised, reframing); at least one tells something. `consent`: community, report or
    public. Evidence by id: sessions, library items and threads of this community, and
    people who are its members."""

    title: str = Field(..., max_length=1000)
    cycles: dict[str, str] = Field(..., max_length=10)
    consent: str = Field("community", max_length=40)
    perspective: str | None = Field(None, max_length=40)
    sessions: list[Id] = Field(default_factory=list, max_length=100)
    items: list[Id] = Field(default_factory=list, max_length=100)
    threads: list[Id] = Field(default_factory=list, max_length=100)
    people: list[Id] = Field(default_factory=list, max_length=100)


class ValueStoryPatch(InputSchema):
    """Only the fields sent change; `cycles` changes the cycles it names. A perspective of
    "" clears it."""

    title: str | None = Field(None, max_length=1000)
    cycles: dict[str, str] | None = Field(None, max_length=10)
    consent: str | None = Field(None, max_length=40)
    perspective: str | None = Field(None, max_length=40)
    sessions: list[Id] | None = Field(None, max_length=100)
    items: list[Id] | None = Field(None, max_length=100)
    threads: list[Id] | None = Field(None, max_length=100)
    people: list[Id] | None = Field(None, max_length=100)


class ValueStoryOut(Schema):
    id: int
    title: str
    cycles: CyclesOut
    consent: str
    perspective: PerspectiveOut | None
    author: PersonRef
    featured: bool
    featured_at: datetime | None
    quote: str
    sessions: list[int]
    items: list[int]
    threads: list[int]
    people: list[PersonRef]
    practice_item_id: int | None
    created_at: datetime
    updated_at: datetime
    page_url: str
