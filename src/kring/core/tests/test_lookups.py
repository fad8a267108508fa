"""`__in_ids`: membership in a long list of integers as one parameter, on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import User
from kring.communities.models import Membership


@pytest.fixture
def people(make_user, make_community, make_member):
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    members = [make_member(community, full_name=f"Lid {n}").user for n in range(5)]
    return community, facilitator, members


def test_in_ids_finds_exactly_the_listed_rows(people):
    _community, facilitator, members = people
    wanted = [members[0].pk, members[3].pk, facilitator.pk, 10**12]

    found = set(User.objects.filter(pk__in_ids=wanted).values_list("pk", flat=True))

    assert found == {members[0].pk, members[3].pk, facilitator.pk}
    assert set(User.objects.exclude(pk__in_ids=wanted)) == set(User.objects.exclude(pk__in=wanted))
    assert members[1] in set(User.objects.exclude(pk__in_ids=wanted))


def test_in_ids_on_a_foreign_key_and_with_an_empty_list(people):
    community, _facilitator, members = people
    rows = Membership.objects.filter(community=community, user_id__in_ids=[members[1].pk])

    assert [m.user_id for m in rows] == [members[1].pk]
    assert list(User.objects.filter(pk__in_ids=[])) == []


def test_in_ids_is_one_parameter_however_long_the_list(people):
    """The point of the lookup: a list of a thousand ids is one parameter, not a thousand."""
    _community, _facilitator, members = people
    ids = [m.pk for m in members] + list(range(10**9, 10**9 + 1000))

    with CaptureQueriesContext(connection) as captured:
        assert User.objects.filter(pk__in_ids=ids).count() == len(members)

    assert len(captured.captured_queries) == 1
    assert captured.captured_queries[0]["sql"].count(str(10**9 + 999)) == 1
    assert "json_each" in captured.captured_queries[0]["sql"] or connection.vendor != "sqlite"


def test_in_ids_takes_integers_only(people):
    with pytest.raises(ValueError):
        list(User.objects.filter(pk__in_ids=["1; DROP TABLE accounts_user"]))
