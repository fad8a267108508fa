"""Reads for ground rules set together: the rules in effect and their history, and the open
proposal with its comments, who agreed and how it differs from the rules in effect."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import Http404

from kring.accounts.models import User
from kring.communities.models import Community, GroundRulesVersion, Role
from kring.decisions import permissions
from kring.decisions.models import ProposalStatus, RulesAgreement, RulesProposal

HISTORY = 20


@dataclass(frozen=True)
class RuleLine:
    text: str
    change: str  # "kept", "added" or "removed"


def rules_diff(current: list[str], proposed: list[str]) -> list[RuleLine]:
    """The proposed list in its order, each rule marked new or kept, then the rules in effect
    that the proposal drops."""
    now = set(current)
    lines = [RuleLine(text, "kept" if text in now else "added") for text in proposed]
    kept = set(proposed)
    lines += [RuleLine(text, "removed") for text in current if text not in kept]
    return lines


def rules_page(*, community: Community, viewer: User | AnonymousUser) -> dict:
    """Everything the ground-rules page shows; 404 for anyone outside the community."""
    if not permissions.can_read_rules(viewer, community):
        raise Http404
    versions = list(
        GroundRulesVersion.objects.filter(community=community)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("agreed_by", queryset=User.objects.order_by("full_name")))
        .order_by("-number")[:HISTORY]
    )
    for version in versions:
        people = list(version.agreed_by.all())
        # What the page shows of each version: who agreed, and how many have left Kring since.
        setattr(version, "agreed_people", people)  # noqa: B010
        setattr(version, "former_agreed", max(0, version.agreed_count - len(people)))  # noqa: B010
    current = list(community.ground_rules.values_list("text", flat=True))
    proposal = (
        RulesProposal.objects.filter(community=community, status=ProposalStatus.OPEN)
        .select_related("proposed_by")
        .first()
    )
    context: dict[str, object] = {
        "rules": current,
        "version": versions[0] if versions else None,
        "history": versions[1:],
        "proposal": proposal,
        "past_proposals": list(
            RulesProposal.objects.filter(community=community, status=ProposalStatus.WITHDRAWN)
            .select_related("proposed_by", "decided_by")
            .order_by("-decided_at")[:5]
        ),
    }
    if proposal is not None:
        agreements = list(RulesAgreement.objects.filter(proposal=proposal).select_related("user"))
        facilitators = set(
            community.memberships.filter(role=Role.FACILITATOR).values_list("user_id", flat=True)
        )
        context.update(
            diff=rules_diff(current, proposal.rules),
            comments=list(proposal.comments.select_related("author")),
            agreements=agreements,
            i_agree=any(a.user_id == viewer.pk for a in agreements),
            members_agreeing=sum(1 for a in agreements if a.user_id not in facilitators),
            member_count=community.memberships.exclude(role=Role.GUEST).count(),
        )
    return context


def proposal_get(*, community: Community, pk: int, viewer: User | AnonymousUser) -> RulesProposal:
    if not permissions.can_read_rules(viewer, community):
        raise Http404
    proposal = (
        RulesProposal.objects.filter(community=community, pk=pk)
        .select_related("community", "proposed_by")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal
