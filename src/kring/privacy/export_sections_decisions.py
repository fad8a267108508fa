"""The data export's section about shared decisions: the ground rules you proposed, commented
on and agreed with, and the polls you started or voted in (for an anonymous poll only that
you took part: what you chose was never linked to you)."""

from collections.abc import Iterator

from kring.accounts.models import User
from kring.communities.models import GroundRulesVersion
from kring.decisions.models import (
    Poll,
    PollParticipation,
    PollVote,
    RulesAgreement,
    RulesComment,
    RulesProposal,
)
from kring.privacy.export_rows import CHUNK, community_ref, iso


def rules_proposed(user: User) -> Iterator[dict]:
    rows = RulesProposal.objects.filter(proposed_by=user).select_related("community")
    for proposal in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "id": proposal.pk,
            "community": community_ref(proposal.community),
            "rules": proposal.rules,
            "reason": proposal.reason,
            "status": proposal.status,
            "created_at": iso(proposal.created_at),
        }


def rules_comments(user: User) -> Iterator[dict]:
    rows = RulesComment.objects.filter(author=user).select_related("proposal__community")
    for comment in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "proposal": comment.proposal_id,
            "community": community_ref(comment.proposal.community),
            "body": comment.body,
            "created_at": iso(comment.created_at),
        }


def rules_agreed(user: User) -> Iterator[dict]:
    """Open proposals you agree with, and the versions in effect that name you as agreeing."""
    rows = RulesAgreement.objects.filter(user=user).select_related("proposal__community")
    for agreement in rows.order_by("agreed_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "proposal": agreement.proposal_id,
            "community": community_ref(agreement.proposal.community),
            "agreed_at": iso(agreement.agreed_at),
        }
    versions = GroundRulesVersion.objects.filter(agreed_by=user).select_related("community")
    for version in versions.order_by("took_effect_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "version": version.number,
            "community": community_ref(version.community),
            "took_effect_at": iso(version.took_effect_at),
        }


def polls(user: User) -> Iterator[dict]:
    started = Poll.objects.filter(created_by=user).select_related("community")
    for poll in started.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "started": True,
            "poll": poll.pk,
            "community": community_ref(poll.community),
            "question": poll.question,
            "created_at": iso(poll.created_at),
        }
    voted = PollParticipation.objects.filter(user=user).select_related("poll__community")
    for row in voted.order_by("poll_id").iterator(chunk_size=CHUNK):
        poll = row.poll
        choices = (
            None
            if poll.anonymous
            else [
                {"option": str(v.option), "answer": v.answer}
                for v in PollVote.objects.filter(poll=poll, user=user).select_related("option")
            ]
        )
        yield {
            "voted": True,
            "poll": poll.pk,
            "community": community_ref(poll.community),
            "question": poll.question,
            "anonymous": poll.anonymous,
            "your_choices": choices,
        }
