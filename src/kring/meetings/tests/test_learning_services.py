"""Reflections and action points in the services and selectors: who may write them, what is
refused, and which action points a session carries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kring.core.models import ActivityEvent, Verb
from kring.meetings import selectors, services_learning
from kring.meetings.models import ActionPoint, Reflection


@pytest.fixture
def past(make_session):
    """A session that took place yesterday."""
    return make_session(starts_at=timezone.now() - timedelta(days=1))


def test_reflection_before_the_start_is_refused(kring, make_session):
    """Nobody reflects on a session that has not started yet."""
    session = make_session(starts_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        services_learning.reflection_save(session=session, by=kring.anna, did="Nothing yet")
    assert not Reflection.objects.exists()


def test_reflection_by_outsider_is_refused(kring, past):
    """Someone outside the community cannot reflect on its session."""
    with pytest.raises(PermissionDenied):
        services_learning.reflection_save(session=past, by=kring.outsider, did="I was not there")
    assert not Reflection.objects.exists()


def test_empty_reflection_is_refused(kring, past):
    """A reflection with only blanks is not saved."""
    with pytest.raises(ValidationError) as exc:
        services_learning.reflection_save(session=past, by=kring.anna, did="  ", learned="\n")
    assert "Write at least one part" in str(exc.value)
    assert not Reflection.objects.exists()


def test_one_reflection_per_person_is_rewritten(kring, past):
    """Saving twice rewrites the same reflection and records one activity event."""
    first = services_learning.reflection_save(session=past, by=kring.anna, did="We walked the ward")
    second = services_learning.reflection_save(
        session=past, by=kring.anna, learned="Ask first", triple_loop="Who decides?"
    )
    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.did, second.learned, second.triple_loop) == ("", "Ask first", "Who decides?")
    assert ActivityEvent.objects.filter(verb=Verb.REFLECTED, actor=kring.anna).count() == 1


def test_highlight_only_by_facilitators(kring, past):
    """A member cannot mark a reflection for the library; a facilitator can, and undo it."""
    reflection = services_learning.reflection_save(session=past, by=kring.anna, learned="Listen")
    with pytest.raises(PermissionDenied):
        services_learning.reflection_highlight(reflection=reflection, by=kring.bram)
    services_learning.reflection_highlight(reflection=reflection, by=kring.facilitator)
    reflection.refresh_from_db()
    assert reflection.highlighted and reflection.highlighted_by == kring.facilitator
    services_learning.reflection_highlight(
        reflection=reflection, by=kring.facilitator, highlighted=False
    )
    reflection.refresh_from_db()
    assert not reflection.highlighted and reflection.highlighted_by is None


def test_action_point_owner_outside_the_community_is_refused(kring, past):
    """An action point for someone outside the community is refused and nothing is saved."""
    with pytest.raises(ValidationError) as exc:
        services_learning.action_point_create(
            community=kring.community, by=kring.anna, what="Call the GP", owner=kring.outsider
        )
    assert "owner" in exc.value.message_dict
    assert not ActionPoint.objects.exists()


def test_action_point_by_outsider_is_refused(kring):
    """Someone outside the community cannot add an action point to it."""
    with pytest.raises(PermissionDenied):
        services_learning.action_point_create(
            community=kring.community, by=kring.outsider, what="Sneak"
        )
    assert not ActionPoint.objects.exists()


def test_action_point_update_and_delete_by_other_member_refused(kring, past):
    """Only the owner, the maker and facilitators change or remove an action point."""
    point = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Write the memo", owner=kring.anna
    )
    with pytest.raises(PermissionDenied):
        services_learning.action_point_update(
            point=point, by=kring.bram, what="Changed", owner=kring.bram, due_date=None
        )
    with pytest.raises(PermissionDenied):
        services_learning.action_point_delete(point=point, by=kring.bram)
    point.refresh_from_db()
    assert point.what == "Write the memo"
    services_learning.action_point_delete(point=point, by=kring.facilitator)
    assert not ActionPoint.objects.exists()


def test_action_point_done_records_activity_and_reopens(kring, past):
    """Ticking off records who did it; opening again clears it."""
    point = services_learning.action_point_create(
        community=kring.community, by=kring.facilitator, what="Share slides", owner=kring.bram
    )
    services_learning.action_point_complete(point=point, by=kring.bram)
    point.refresh_from_db()
    assert point.is_done and point.done_by == kring.bram
    assert ActivityEvent.objects.filter(verb=Verb.ACTION_POINT_DONE).count() == 1
    services_learning.action_point_complete(point=point, by=kring.bram, done=False)
    point.refresh_from_db()
    assert not point.is_done and point.done_by is None


def test_open_action_point_is_carried_to_next_sessions_until_done(kring, make_session):
    """A point made at one session shows on the next one as carried, until it is done."""
    first = make_session(starts_at=timezone.now() - timedelta(days=42))
    second = make_session(starts_at=timezone.now() + timedelta(days=1))
    point = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Visit De Spreeuw", session=first
    )
    on_second = selectors.action_points_for_session(session=second, user=kring.bram)
    assert on_second["carried"] == [point]
    on_first = selectors.action_points_for_session(session=first, user=kring.bram)
    assert on_first == {"carried": [], "made_here": [point]}
    services_learning.action_point_complete(point=point, by=kring.anna)
    assert selectors.action_points_for_session(session=second, user=kring.bram)["carried"] == []


def test_my_action_points_leave_out_communities_left_behind(kring, make_community, make_member):
    """Your own list holds your points in the communities you are still in."""
    other = make_community(name="Wijkteams")
    make_member(other, user=kring.anna)
    here = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Here", owner=kring.anna
    )
    there = services_learning.action_point_create(
        community=other, by=kring.anna, what="There", owner=kring.anna
    )
    assert set(selectors.action_points_for_user(user=kring.anna)) == {here, there}
    from kring.communities.models import Membership

    Membership.objects.filter(community=other, user=kring.anna).delete()
    assert list(selectors.action_points_for_user(user=kring.anna)) == [here]
