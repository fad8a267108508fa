from datetime import datetime

from ninja import Field, Schema

from kring.core.api_types import InputSchema


class CommunityIn(InputSchema):
    name: str = Field(..., max_length=200)
    slug: str = Field("", max_length=100)
    theme: str = ""
    urgency: str = ""
    shared_goal: str = ""
    signature: str = ""
    visibility: str = "private"
    # Read-only since the stage is derived (kring.growth): sending one is answered with 422.
    stage: str | None = None
    target_mix: dict[str, int] = Field(default_factory=dict)
    ground_rules: list[str] = Field(default_factory=list)


class CommunityPatch(InputSchema):
    """Only the fields sent change. `spotlight_published` publishes the community's public
    page (its visibility becomes `public`) or takes it down (`private`) at once."""

    name: str | None = Field(None, max_length=200)
    slug: str | None = Field(None, max_length=100)
    theme: str | None = None
    urgency: str | None = None
    shared_goal: str | None = None
    signature: str | None = None
    visibility: str | None = None
    stage: str | None = None
    target_mix: dict[str, int] | None = None
    spotlight_published: bool | None = None


class CommunityOut(Schema):
    slug: str
    name: str
    theme: str
    urgency: str
    shared_goal: str
    signature: str
    visibility: str
    spotlight_published: bool
    stage: str
    target_mix: dict[str, int]
    ground_rules: list[str]
    member_count: int
    my_role: str | None
    url: str
    created_at: datetime


class MemberIn(InputSchema):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    role: str = "member"
    perspectives: list[str] = Field(default_factory=list)


class MemberOut(Schema):
    id: int
    email: str
    name: str
    organisation: str
    job_title: str
    perspectives: list[str]
    help_tags: list[str]
    seeking_tags: list[str]
    role: str
    joined_at: datetime
    has_joined: bool
    url: str


class MemberAdded(MemberOut):
    invited: bool
