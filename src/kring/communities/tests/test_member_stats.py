"""The community home's member counts and perspective mix are cached per community, and
are fresh again once someone joins, leaves or changes their perspectives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import Perspective
from kring.accounts.services import profile_update
from kring.communities import selectors
from kring.communities.services import membership_add, membership_remove


def _counts(community) -> tuple[int, dict[str, int]]:
    mix = selectors.perspective_mix(community=community)
    total = selectors.member_count(community=community)
    return total, {row["perspective"].key: row["count"] for row in mix}


@pytest.fixture
def setting(make_user, make_community, make_member):
    founder = make_user(full_name="Fay Founder", can_create=True)
    community = make_community(by=founder, name="Wijk", slug="wijk")
    perspective = Perspective.objects.filter(is_active=True).order_by("position").first()
    return founder, community, perspective


def test_counts_are_cached(setting, django_assert_num_queries):
    founder, community, _ = setting
    selectors.member_stats(community=community)
    with django_assert_num_queries(0):
        assert selectors.member_count(community=community) == 1


def test_joining_and_leaving_refresh_the_counts(
    setting, make_user, django_capture_on_commit_callbacks
):
    founder, community, perspective = setting
    person = make_user(full_name="Piet Peer")
    profile_update(user=person, by=person, perspectives=[perspective])
    assert _counts(community) == (1, {})
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_add(community=community, user=person)
    assert _counts(community) == (2, {perspective.key: 1})
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=membership, by=person)
    assert _counts(community) == (1, {})


def test_changing_perspectives_refreshes_the_mix(
    setting, make_member, django_capture_on_commit_callbacks
):
    founder, community, perspective = setting
    person = make_member(community).user
    assert _counts(community) == (2, {})
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, by=person, perspectives=[perspective])
    assert _counts(community) == (2, {perspective.key: 1})
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, by=person, perspectives=[])
    assert _counts(community) == (2, {})


def test_not_refreshed_before_the_commit(setting, make_user):
    """Until the change is committed the old numbers stay (a request in between must not
    cache numbers that are about to change)."""
    founder, community, _ = setting
    assert selectors.member_count(community=community) == 1
    membership_add(community=community, user=make_user(full_name="Nina Nieuw"))
    with CaptureQueriesContext(connection) as queries:
        assert selectors.member_count(community=community) == 1
    assert len(queries) == 0
