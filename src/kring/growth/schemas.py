from datetime import date

from ninja import Field, Schema

from kring.core.api_types import InputSchema, SaneDate


class StageOut(Schema):
    key: str
    reasons: list[str]


class OverrideOut(Schema):
    status: str = Field(..., description="`done`, `partial` or `open`: what counts now.")
    derived: str = Field(..., description="What Kring reads from the data.")
    kind: str = Field(..., description="`confirmed` (the same as the data) or `overridden`.")
    on: date
    note: str | None = Field(None, description="Facilitators only; `null` for members.")
    by: str | None = Field(None, description="Facilitators only; `null` for members.")


class StepOut(Schema):
    key: str
    status: str
    evidence: list[str]
    missing: list[str]
    override: OverrideOut | None


class DevelopmentOut(Schema):
    stage: StageOut
    steps: list[StepOut]


class StepJudgeIn(InputSchema):
    status: str | None = Field(
        ..., description="`done`, `partial`, `open`, or `null` to hand the step back to the data."
    )
    note: str = Field(..., max_length=1000)
    on: SaneDate | None = None


class MandateIn(InputSchema):
    given_by: str = Field(..., max_length=200)
    scope: str = Field(..., max_length=1000)
    on: SaneDate | None = None


class MandateOut(Schema):
    given_by: str
    scope: str
    on: date


class StageIn(InputSchema):
    stage: str | None = Field(
        ...,
        description="`potential`, `coalescing`, `maturing`, `stewardship`, `transformation`, "
        "or `null` to hand the stage back to the data.",
    )
    note: str = Field(..., max_length=1000)
    on: SaneDate | None = None
