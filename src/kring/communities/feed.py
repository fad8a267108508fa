"""Feed entries for the community home: "welcome X, who works on Y" for each new member."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kring.communities.models import Membership
from kring.communities.verbs import CommunityVerb
from kring.core.feed import FeedEntry, link, sentence

VERBS = [CommunityVerb.JOINED]


def works_on(user) -> str:
    """What someone works on, from what their profile says: organisation, job, what they can
    help with. Uses the help tags prefetched on the user."""
    tags = [tag.name for tag in user.help_tags.all()][:3]
    if tags:
        return ", ".join(tags)
    return user.job_title or user.organisation


def describe_joined(events, viewer) -> dict[int, FeedEntry]:
    """One query for the memberships (with their people and help tags); members who have left
    since get no entry."""
    ids = {event.target_id for event in events if event.target_id}
    memberships = {
        m.pk: m
        for m in Membership.objects.filter(pk__in=ids)
        .select_related("user")
        .prefetch_related("user__help_tags")
    }
    entries = {}
    for event in events:
        membership = memberships.get(event.target_id)
        if membership is None or membership.community_id != event.community_id:
            continue
        person = membership.user
        url = reverse("person-detail", kwargs={"pk": person.pk})
        name = link(url, person.full_name, "person-name")
        what = works_on(person)
        if what:
            text = sentence(_("Welcome %(name)s, who works on %(what)s"), name=name, what=what)
        else:
            text = sentence(_("Welcome %(name)s"), name=name)
        entries[event.pk] = FeedEntry(
            actor=person,
            sentence=text,
            url=url,
            time=event.created_at,
            extra={"kind": "joined"},
        )
    return entries
