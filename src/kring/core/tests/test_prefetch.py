"""prefetch_m2m gives what prefetch_related gives, in one query per relation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import Perspective, User
from kring.accounts.services import profile_update
from kring.core.prefetch import prefetch_m2m


@pytest.fixture
def people(make_user):
    first, second, third = Perspective.objects.order_by("position", "key")[:3]
    ada = make_user(full_name="Ada")
    profile_update(
        user=ada, by=ada, perspectives=[third, first], help_tags=["Zorg", "Buurt", "Armoede"]
    )
    bo = make_user(full_name="Bo")
    profile_update(user=bo, by=bo, perspectives=[second], seeking_tags=["Wonen"])
    cas = make_user(full_name="Cas")  # nothing at all
    return [ada, bo, cas]


def _seen(users) -> list:
    return [
        (
            [p.key for p in user.perspectives.all()],
            [t.name for t in user.help_tags.all()],
            [t.name for t in user.seeking_tags.all()],
        )
        for user in users
    ]


def test_the_same_as_prefetch_related_and_no_queries_after(people):
    pks = [user.pk for user in people]
    expected = _seen(
        User.objects.filter(pk__in=pks)
        .order_by("full_name")
        .prefetch_related("perspectives", "help_tags", "seeking_tags")
    )
    users = list(User.objects.filter(pk__in=pks).order_by("full_name"))
    with CaptureQueriesContext(connection) as fetching:
        for field in ("perspectives", "help_tags", "seeking_tags"):
            prefetch_m2m(users, field)
    assert len(fetching) == 3
    with CaptureQueriesContext(connection) as reading:
        seen = _seen(users)
    assert len(reading) == 0
    assert seen == expected
    assert seen[0][1] == ["Armoede", "Buurt", "Zorg"]  # the tags' own order (by name)
    assert seen[2] == ([], [], [])


def test_a_queryset_sets_the_order_and_what_is_fetched(people):
    users = list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("full_name"))
    prefetch_m2m(users, "help_tags", User.help_tags.field.related_model.objects.order_by("-name"))
    assert [t.name for t in users[0].help_tags.all()] == ["Zorg", "Buurt", "Armoede"]


def test_nothing_to_do_and_wrong_fields(people):
    prefetch_m2m([], "perspectives")
    with pytest.raises(ValueError, match="not a many-to-many field or reverse foreign key"):
        prefetch_m2m(people, "full_name")


def test_a_reverse_foreign_key_and_its_way_back(make_user, make_community):
    """Library items' author links (a reverse foreign key): in their order, and each link
    knows its item without a query."""
    from kring.knowledge.models import ItemAuthor, KnowledgeItem
    from kring.knowledge.services import item_create

    ada, bo = make_user(full_name="Ada", can_create=True), make_user(full_name="Bo")
    community = make_community(by=ada)
    from kring.communities.services import membership_add

    membership_add(community=community, user=bo, by=ada)
    both = item_create(community=community, by=ada, kind="toolkit", title="Samen", authors=[bo])
    alone = item_create(community=community, by=ada, kind="toolkit", title="Alleen")
    items = list(KnowledgeItem.objects.filter(pk__in=[both.pk, alone.pk]).order_by("title"))
    prefetch_m2m(
        items, "item_authors", ItemAuthor.objects.select_related("user").order_by("position")
    )
    with CaptureQueriesContext(connection) as reading:
        authors = [[link.user.full_name for link in item.item_authors.all()] for item in items]
        assert all(link.item is item for item in items for link in item.item_authors.all())
    assert len(reading) == 0
    expected = [
        [link.user.full_name for link in item.item_authors.order_by("position")] for item in items
    ]
    assert authors == expected
    assert authors == [["Ada"], ["Bo"]]


def test_a_new_query_from_the_kept_rows_stays_with_its_object(people):
    """filter, order_by, first, count after a filter: this object's rows, never the table's."""
    users = list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("full_name"))
    prefetch_m2m(users, "help_tags")
    ada, bo, cas = users
    assert [t.name for t in ada.help_tags.order_by("-name")] == ["Zorg", "Buurt", "Armoede"]
    assert [t.name for t in ada.help_tags.filter(name__startswith="Z")] == ["Zorg"]
    assert bo.help_tags.filter(name="Zorg").count() == 0
    assert cas.help_tags.order_by("name").first() is None
    assert list(cas.help_tags.all().values_list("name", flat=True)) == []
