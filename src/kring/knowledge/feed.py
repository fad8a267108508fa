"""What the library puts in the community home feed: newly shared library items."""

from django.utils.translation import gettext as _

from kring.core.feed import FeedEntry, link, person_link, sentence
from kring.knowledge.models import KnowledgeItem
from kring.knowledge.verbs import KnowledgeVerb

VERBS = [KnowledgeVerb.ITEM_CREATED]


def describe(events, viewer) -> dict[int, FeedEntry]:
    """One query for the items; deleted items get no entry."""
    ids = {event.target_id for event in events if event.target_id}
    items = {
        item.pk: item
        for item in KnowledgeItem.objects.filter(pk__in=ids)
        .select_related("community")
        .only("pk", "title", "kind", "community_id", "community__slug")
    }
    entries = {}
    for event in events:
        item = items.get(event.target_id)
        if item is None or item.community_id != event.community_id:
            continue
        url = item.get_absolute_url()
        person = person_link(event.actor)
        entries[event.pk] = FeedEntry(
            actor=event.actor,
            sentence=sentence(
                _("%(name)s shared a library item: %(title)s"),
                name=person,
                title=link(url, item.title),
            ),
            url=url,
            time=event.created_at,
            extra={"kind": "item", "item_kind": item.get_kind_display()},
        )
    return entries
