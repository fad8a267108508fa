"""People as search results: a person is findable in each community they belong to."""

from collections.abc import Iterable, Iterator

from django.urls import reverse

from kring.accounts.models import User
from kring.communities.models import Membership
from kring.core.search import SearchDoc

BATCH = 1000


def person_documents(user: User, memberships: list[Membership]) -> Iterator[SearchDoc]:
    tags = [t.name for t in user.help_tags.all()]
    body = " ".join(
        part
        for part in [
            user.job_title,
            user.organisation,
            user.bio,
            " ".join(p.name_nl + " " + p.name_en for p in user.perspectives.all()),
        ]
        if part
    )
    url = reverse("person-detail", kwargs={"pk": user.pk})
    for membership in memberships:
        yield SearchDoc(
            doc_type="person",
            doc_id=user.pk,
            community_id=membership.community_id,
            title=user.full_name,
            body=body,
            tags=tags,
            themes=[t.slug for t in user.help_tags.all()],
            kind="person",
            url=url,
        )


class PersonSearchProvider:
    """A person is findable in each community they belong to, and only there."""

    doc_type = "person"

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDoc]:
        qs = User.objects.filter(is_active=True).prefetch_related(
            "help_tags", "perspectives", "memberships"
        )
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        for user in qs.order_by("pk").iterator(chunk_size=BATCH):
            yield from person_documents(user, list(user.memberships.all()))

    def count(self) -> int:
        """Documents, not people: one per membership of an active person."""
        return Membership.objects.filter(user__is_active=True).count()
