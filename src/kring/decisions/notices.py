"""What members hear when ground rules are proposed (a community notice, core.notices)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kring.core.notices import Notice
from kring.decisions.models import RulesProposal


def describe_proposed(events) -> dict:
    """{event id: Notice} for "ground rules proposed": active while the proposal is open.
    One query."""
    proposals = {
        p.pk: p
        for p in RulesProposal.objects.filter(pk__in={e.target_id for e in events}).select_related(
            "community"
        )
    }
    notices = {}
    for event in events:
        proposal = proposals.get(event.target_id)
        if proposal is None or proposal.community_id != event.community_id:
            continue
        notices[event.pk] = Notice(
            pattern=_(
                "%(name)s proposed ground rules for “%(title)s”: read them, comment and agree"
            ),
            title=proposal.community.name,
            url=reverse("ground-rules", kwargs={"slug": proposal.community.slug}) + "#proposal",
            active=proposal.is_open,
        )
    return notices
