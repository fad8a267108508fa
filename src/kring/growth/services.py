"""The facilitators' word on the development path: a step confirmed or overridden, the
mandate recorded, the stage corrected; and keeping Community.stage (what every page shows)
in step with the derived stage and the corrections."""

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Stage
from kring.core import daterange
from kring.core.services import activity_record
from kring.growth import permissions, selectors
from kring.growth.models import Mandate, StageCorrection, StepKey, StepOverride, StepStatus
from kring.growth.verbs import GrowthVerb

NOTE_MAX = 1000


def _forget_summary(community: Community) -> None:
    """The path's cached summary (network insights) is stale once this decision is in."""
    transaction.on_commit(partial(selectors.development_summary_forget, community=community))


def _clean_note(note: str, errors: dict, *, required: bool = True) -> str:
    note = (note or "").strip()
    if required and not note:
        errors["note"] = _("Write a short note: why, or what you saw.")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("Keep the note to 1000 characters at most.")
    return note


def _clean_day(on: date | None, errors: dict, field: str = "on") -> date:
    on = on or timezone.localdate()
    if not daterange.in_range(on):
        errors[field] = daterange.message()
    elif on > timezone.localdate():
        errors[field] = _("Choose today or a day that has passed.")
    return on


def _clean_decision(note: str, on: date | None, errors: dict) -> tuple[str, date]:
    """A decision's note and day, checked; raises with every problem found so far."""
    note = _clean_note(note, errors)
    on = _clean_day(on, errors)
    if errors:
        raise ValidationError(errors)
    return note, on


@transaction.atomic
def step_judge(
    *, community: Community, by: User, step: str, status: str, note: str, on: date | None = None
) -> StepOverride:
    """Confirm or override what Kring reads for one step (an empty status hands the step
    back to the data). Every decision is kept; the latest counts."""
    permissions.check_judge(by, community)
    errors: dict[str, str] = {}
    if step not in StepKey.values:
        errors["step"] = _("Choose one of the nine steps.")
    if status and status not in StepStatus.values:
        errors["status"] = _("Choose done, partly or open.")
    note, on = _clean_decision(note, on, errors)
    row = StepOverride.objects.create(
        community=community, step=step, status=status, note=note, on=on, by=by
    )
    activity_record(
        actor=by,
        verb=GrowthVerb.STEP_JUDGED,
        community=community,
        target=row,
        data={"step": step, "status": status},
    )
    _forget_summary(community)
    return row


@transaction.atomic
def mandate_record(
    *, community: Community, by: User, given_by: str, scope: str, on: date | None = None
) -> Mandate:
    """Record who gave the participants room to experiment, and for what."""
    permissions.check_judge(by, community)
    errors: dict[str, str] = {}
    given_by = " ".join((given_by or "").split())
    scope = (scope or "").strip()
    if not given_by:
        errors["given_by"] = _("Say who gave the room: an organisation or a role.")
    elif len(given_by) > 200:
        errors["given_by"] = _("Keep this to 200 characters at most.")
    if not scope:
        errors["scope"] = _("Say what the participants have room to try.")
    elif len(scope) > NOTE_MAX:
        errors["scope"] = _("Keep this to 1000 characters at most.")
    on = _clean_day(on, errors)
    if errors:
        raise ValidationError(errors)
    mandate = Mandate.objects.create(
        community=community, given_by=given_by, scope=scope, on=on, recorded_by=by
    )
    activity_record(actor=by, verb=GrowthVerb.MANDATE_RECORDED, community=community, target=mandate)
    _forget_summary(community)
    return mandate


@transaction.atomic
def stage_correct(
    *, community: Community, by: User, stage: str, note: str, on: date | None = None
) -> StageCorrection:
    """Correct the derived life stage (an empty stage hands it back to the data); the
    community shows the result at once."""
    permissions.check_judge(by, community)
    errors: dict[str, str] = {}
    if stage and stage not in Stage.values:
        errors["stage"] = _("Choose one of the life stages.")
    note, on = _clean_decision(note, on, errors)
    row = StageCorrection.objects.create(community=community, stage=stage, note=note, on=on, by=by)
    activity_record(
        actor=by,
        verb=GrowthVerb.STAGE_CORRECTED,
        community=community,
        target=row,
        data={"stage": stage},
    )
    community_stage_store(community=community, stage=selectors.stage_now(community=community))
    _forget_summary(community)
    return row


def community_stage_store(*, community: Community, stage: str) -> bool:
    """Write the stage the community shows, when it changed; True when it did."""
    if community.stage == stage:
        return False
    community.stage = stage
    community.save(update_fields=["stage", "updated_at"])
    return True


def community_stage_refresh(*, community: Community) -> bool:
    """Bring Community.stage in step with the data and the corrections (periodic task)."""
    return community_stage_store(
        community=community, stage=selectors.stage_now(community=community)
    )


def community_development_refresh(*, community: Community) -> None:
    """Read the development path's summary anew into the cache (periodic task), so the
    network insights find it there."""
    selectors.development_summaries(communities=[community], fresh=True)
