"""What the ground-rules API reads and writes. Length limits here are generous: the services
give the clear, translated messages (30 rules of 300 characters, an explanation or a comment
of 2000)."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from kring.core.api_kit import PersonRef
from kring.core.api_types import InputSchema

RuleText = Annotated[str, Field(max_length=1000)]


class RulesProposalIn(InputSchema):
    """The whole list as it should read, one rule per item (empty items are dropped)."""

    rules: list[RuleText] = Field(..., max_length=100)
    reason: str = Field("", max_length=10_000)


class RulesCommentIn(InputSchema):
    body: str = Field(..., max_length=10_000)


class RulesVersionOut(Schema):
    number: int
    origin: str = Field(
        ..., description="`agreed` (agreed together) or `set` (by the facilitators)."
    )
    took_effect_at: datetime
    agreed_count: int = Field(..., description="How many agreed when it took effect.")


class RulesCommentOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: datetime


class RulesProposalOut(Schema):
    id: int
    rules: list[str]
    reason: str
    proposed_by: PersonRef | None = Field(..., description="Null once their account is gone.")
    created_at: datetime
    agreements: int = Field(..., description="How many agree.")
    members_agreeing: int = Field(
        ...,
        description="How many agree besides the facilitators: it takes effect only with at "
        "least one.",
    )
    member_count: int = Field(..., description="Members who may agree (guests do not).")
    you_agree: bool
    comments: list[RulesCommentOut]
    can_adopt: bool
    can_withdraw: bool


class GroundRulesOut(Schema):
    rules: list[str] = Field(..., description="The ground rules in effect.")
    version: RulesVersionOut | None = Field(..., description="The version in effect, if recorded.")
    proposal: RulesProposalOut | None = Field(..., description="The open proposal, if any.")
    can_propose: bool
    can_take_part: bool = Field(..., description="You may comment and agree.")
