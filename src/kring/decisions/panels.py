"""Beside the community's feed: what is open to decide together (core.feed panel)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kring.decisions import permissions
from kring.decisions.models import (
    Poll,
    PollParticipation,
    ProposalStatus,
    RulesAgreement,
    RulesProposal,
)

SHOWN = 3


def open_decisions_panel(community, viewer):
    """Open polls the viewer has not voted in, and an open ground-rules proposal the viewer
    has not agreed with yet; nothing when there is neither. Two queries."""
    if not permissions.can_read_polls(viewer, community):
        return None
    mine = PollParticipation.objects.filter(poll=OuterRef("pk"), user_id=viewer.pk or 0)
    polls = list(
        Poll.objects.filter(
            community=community, closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .exclude(Exists(mine))
        .order_by("closes_at", "id")[:SHOWN]
    )
    agreed = RulesAgreement.objects.filter(proposal=OuterRef("pk"), user_id=viewer.pk or 0)
    proposal = (
        RulesProposal.objects.filter(community=community, status=ProposalStatus.OPEN)
        .annotate(agreed=Exists(agreed))
        .first()
    )
    if proposal is not None and proposal.agreed:
        proposal = None
    if not polls and proposal is None:
        return None
    return "decisions/_panel.html", {"community": community, "polls": polls, "proposal": proposal}
