"""The library's part of the digest e-mail: items added in the period."""

from django.utils.translation import gettext as _

from kring.core.digest import DigestEntry
from kring.knowledge.models import KnowledgeItem

# More than a digest shows; the e-mail says how many it left out.
LIMIT = 50


def new_items(*, user, community_ids, since, until) -> list[DigestEntry]:
    """Library items created in the period in the reader's communities, by others, newest first."""
    items = (
        KnowledgeItem.objects.filter(
            community_id__in=community_ids, created_at__gte=since, created_at__lt=until
        )
        .exclude(created_by=user)
        .select_related("community", "created_by")
        .order_by("-created_at", "-id")[:LIMIT]
    )
    return [
        DigestEntry(
            title=item.title,
            url=item.get_absolute_url(),
            meta=(
                _("%(kind)s, added by %(name)s")
                % {"kind": item.get_kind_display(), "name": item.created_by}
                if item.created_by
                else str(item.get_kind_display())
            ),
            community=item.community.name,
        )
        for item in items
    ]
