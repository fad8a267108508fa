"""The development path and the life stage over HTTP (docs/api.md). The same document as
`kring development SLUG --json`.

Members read it without per-person evidence; facilitators and platform admins read it whole
and write the decisions (members 403); anyone else gets 404.
"""

from django.http import HttpRequest
from ninja import Router, Status

from kring.core.api_types import SaneDate
from kring.growth import permissions, selectors, services
from kring.growth.schemas import (
    DevelopmentOut,
    MandateIn,
    MandateOut,
    StageIn,
    StageOut,
    StepJudgeIn,
    StepOut,
)

router = Router(tags=["development"])


def _document(request: HttpRequest, slug: str, as_of=None) -> dict:  # noqa: ANN001
    community = selectors.community_for_development(user=request.user, slug=slug)
    moment = selectors.development_moment(community=community, day=as_of)
    development = selectors.development_read(
        community=community, viewer=request.user, moment=moment
    )
    return selectors.development_document(development)


@router.get(
    "/{slug}/development",
    response=DevelopmentOut,
    summary="Where the community stands: its life stage and the nine steps",
    description=(
        "The stage (`potential`, `coalescing`, `maturing`, `stewardship`, `transformation`) "
        "with its reasons, and the nine steps in order (`theme`, `urgency`, `perspectives`, "
        "`mandate`, `facilitators`, `ownership`, `act_reflect`, `rhythm`, `results`), each "
        "`done`, `partial` or `open` with its evidence, what is missing and the facilitators' "
        "override. `as_of` (YYYY-MM-DD): as it was at the end of that day, Europe/Amsterdam. "
        "Members read no names of people."
    ),
)
def development_get(request: HttpRequest, slug: str, as_of: SaneDate | None = None) -> dict:
    return _document(request, slug, as_of)


def _for_judging(request: HttpRequest, slug: str):  # noqa: ANN202
    community = selectors.community_for_development(user=request.user, slug=slug)
    permissions.check_judge(request.user, community)
    return community


@router.post(
    "/{slug}/development/steps/{key}",
    response={201: StepOut},
    summary="Confirm or override a step (facilitators)",
)
def step_judge(request: HttpRequest, slug: str, key: str, payload: StepJudgeIn) -> Status:
    community = _for_judging(request, slug)
    services.step_judge(
        community=community,
        by=request.user,
        step=key,
        status=payload.status or "",
        note=payload.note,
        on=payload.on,
    )
    document = _document(request, slug)
    return Status(201, next(s for s in document["steps"] if s["key"] == key))


@router.post(
    "/{slug}/development/mandate",
    response={201: MandateOut},
    summary="Record the room to experiment: who gave it, for what (facilitators)",
)
def mandate_record(request: HttpRequest, slug: str, payload: MandateIn) -> Status:
    community = _for_judging(request, slug)
    mandate = services.mandate_record(
        community=community,
        by=request.user,
        given_by=payload.given_by,
        scope=payload.scope,
        on=payload.on,
    )
    return Status(201, {"given_by": mandate.given_by, "scope": mandate.scope, "on": mandate.on})


@router.post(
    "/{slug}/development/stage",
    response={201: StageOut},
    summary="Correct the life stage (facilitators)",
)
def stage_correct(request: HttpRequest, slug: str, payload: StageIn) -> Status:
    community = _for_judging(request, slug)
    services.stage_correct(
        community=community,
        by=request.user,
        stage=payload.stage or "",
        note=payload.note,
        on=payload.on,
    )
    return Status(201, _document(request, slug)["stage"])
