"""The activity event table and its time-range selectors; shared tags."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kring.accounts.verbs import AccountVerb
from kring.communities.verbs import CommunityVerb
from kring.core.models import Tag
from kring.core.selectors import activity_for_actor, activity_for_community
from kring.core.services import activity_record, tags_get_or_create


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def test_activity_record_fields(make_user, make_community):
    """An event keeps actor, verb, target, other person, community, time and details."""
    community = make_community()
    actor, other = make_user(), make_user()
    at = timezone.now() - timedelta(days=3)
    event = activity_record(
        actor=actor,
        verb=CommunityVerb.ROLE_CHANGED,
        community=community,
        target=community,
        other=other,
        at=at,
        data={"to": "core"},
    )
    event.refresh_from_db()
    assert (event.actor, event.other, event.community) == (actor, other, community)
    assert event.target_type == ContentType.objects.get_for_model(community)
    assert event.target_id == community.pk
    assert event.created_at == at
    assert event.data == {"to": "core"}


def test_activity_for_community_time_range(make_user, make_community, now):
    """Events of one community within [since, until): the start counts, the end doesn't."""
    community, elsewhere = make_community(), make_community()
    person = make_user()
    times = {
        name: now - timedelta(days=days)
        for name, days in [("old", 10), ("start", 7), ("mid", 3), ("end", 0)]
    }
    for name, at in times.items():
        activity_record(
            actor=person, verb=CommunityVerb.JOINED, community=community, at=at, data={"name": name}
        )
    activity_record(actor=person, verb=CommunityVerb.JOINED, community=elsewhere, at=times["mid"])

    events = activity_for_community(community=community, since=times["start"], until=times["end"])
    assert [e.data["name"] for e in events] == ["mid", "start"]


def test_activity_for_actor_time_range(make_user, make_community, now):
    """Events by one person within [since, until), in any community, not others' events."""
    first, second = make_community(), make_community()
    person, someone_else = make_user(), make_user()
    since, until = now - timedelta(days=7), now
    activity_record(
        actor=person, verb=CommunityVerb.JOINED, community=first, at=now - timedelta(days=1)
    )
    activity_record(actor=person, verb=AccountVerb.PROFILE_UPDATED, at=now - timedelta(days=2))
    activity_record(
        actor=person, verb=CommunityVerb.JOINED, community=second, at=now - timedelta(days=8)
    )
    activity_record(
        actor=person, verb=CommunityVerb.LEFT, community=second, at=now + timedelta(hours=1)
    )
    activity_record(
        actor=someone_else, verb=CommunityVerb.JOINED, community=first, at=now - timedelta(1)
    )

    events = list(activity_for_actor(actor=person, since=since, until=until))
    assert [(e.verb, e.community) for e in events] == [
        (CommunityVerb.JOINED, first),
        (AccountVerb.PROFILE_UPDATED, None),
    ]


def test_activity_selectors_fixed_queries(
    make_user, make_community, now, django_assert_num_queries
):
    """Reading events and their people takes one query, however many events there are."""
    community = make_community()
    for _ in range(5):
        activity_record(
            actor=make_user(),
            verb=CommunityVerb.JOINED,
            community=community,
            other=make_user(),
            at=now - timedelta(hours=1),
        )
    with django_assert_num_queries(1):
        names = [
            (e.actor.full_name, e.other.full_name)
            for e in activity_for_community(
                community=community, since=now - timedelta(1), until=now
            )
        ]
    assert len(names) == 5


def test_tags_fold_together(db):
    """Tag names are cleaned and fold together by slug; existing tags are reused."""
    existing = tags_get_or_create(names=["Mantelzorg"])[0]
    tags = tags_get_or_create(names=["  mantelzorg ", "Wijk   teams", "", "wijk teams", "!!"])
    assert [t.name for t in tags] == ["Mantelzorg", "Wijk teams"]
    assert tags[0].pk == existing.pk
    assert Tag.objects.count() == 2
