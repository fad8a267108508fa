"""Writes for the report: what the facilitators write for one period."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.illuminate import permissions
from kring.illuminate.models import ReportText
from kring.illuminate.report import Period

TEXT_MAX_LENGTH = 5000


def _clean(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep it under %(max)d characters.") % {"max": TEXT_MAX_LENGTH}}
        )
    return text


@transaction.atomic
def report_text_save(
    *, community: Community, period: Period, by: User, foreword: str, next_steps: str
) -> ReportText:
    """The foreword and "what's next" of the report over exactly this period (one text per
    period: saving again replaces it). Editorial, not taking part: no activity event."""
    permissions.check_view_report(by, community)
    values = {
        "foreword": _clean(foreword, "foreword"),
        "next_steps": _clean(next_steps, "next_steps"),
        "updated_by": by,
    }
    text, _created = ReportText.objects.update_or_create(
        community=community,
        period_from=period.first,
        period_to=period.last,
        defaults=values,
    )
    return text
