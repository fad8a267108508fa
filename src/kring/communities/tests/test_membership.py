"""Membership changes and the activity events they write: actor, verb, community, other."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kring.communities.models import Membership, Role
from kring.communities.services import (
    membership_add,
    membership_remove,
    membership_role_change,
)
from kring.communities.verbs import CommunityVerb
from kring.core.models import ActivityEvent


@pytest.fixture
def community(make_community):
    return make_community(name="Zorg thuis")


@pytest.fixture
def facilitator(community):
    return community.created_by


def only_event(**filters) -> ActivityEvent:
    events = list(ActivityEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def test_join_records_event(make_user, community, facilitator):
    """Joining writes one event: the newcomer joined, brought in by the inviter."""
    newcomer = make_user()
    membership = membership_add(community=community, user=newcomer, role=Role.GUEST, by=facilitator)
    event = only_event(verb=CommunityVerb.JOINED, actor=newcomer)
    assert event.community == community
    assert event.other == facilitator
    assert event.target_id == membership.pk
    assert event.data == {"role": Role.GUEST}


def test_join_is_idempotent(make_user, community):
    """Adding someone who is already a member changes nothing and writes no second event."""
    person = make_user()
    first = membership_add(community=community, user=person)
    again = membership_add(community=community, user=person, role=Role.CORE)
    assert again.pk == first.pk
    assert again.role == Role.MEMBER
    assert ActivityEvent.objects.filter(verb=CommunityVerb.JOINED, actor=person).count() == 1


def test_join_with_unknown_role(make_user, community):
    """An unknown role is refused with a message; no membership is made."""
    person = make_user()
    with pytest.raises(ValidationError) as refused:
        membership_add(community=community, user=person, role="boss")
    assert refused.value.message_dict == {
        "role": ["Choose facilitator, core group, member or guest."]
    }
    assert not Membership.objects.filter(user=person).exists()


def test_role_change_records_event(make_member, community, facilitator):
    """A role change is done by the facilitator to the other person, from and to a role."""
    membership = make_member(community)
    membership_role_change(membership=membership, role=Role.CORE, by=facilitator)
    assert Membership.objects.get(pk=membership.pk).role == Role.CORE
    event = only_event(verb=CommunityVerb.ROLE_CHANGED)
    assert (event.actor, event.other, event.community) == (facilitator, membership.user, community)
    assert event.data == {"from": Role.MEMBER, "to": Role.CORE}


def test_role_change_to_same_role_records_nothing(make_member, community, facilitator):
    """Setting the role someone already has writes no event."""
    membership = make_member(community)
    membership_role_change(membership=membership, role=Role.MEMBER, by=facilitator)
    assert not ActivityEvent.objects.filter(verb=CommunityVerb.ROLE_CHANGED).exists()


def test_role_change_by_member_is_refused(make_member, community):
    """A plain member can't change roles, not even their own."""
    membership = make_member(community)
    with pytest.raises(PermissionDenied):
        membership_role_change(membership=membership, role=Role.FACILITATOR, by=membership.user)
    assert Membership.objects.get(pk=membership.pk).role == Role.MEMBER


def test_last_facilitator_stays(make_client, community, facilitator):
    """The last facilitator can't step down or leave: a clear message, nothing changes."""
    own = Membership.objects.get(community=community, user=facilitator)
    client = make_client(facilitator)
    url = f"/communities/{community.slug}/members/{facilitator.pk}/"
    response = client.post(url + "role/", {"role": "member"}, follow=True)
    message = b"A community keeps at least one facilitator. Appoint another first."
    assert message in response.content
    response = client.post(url + "remove/", {"confirm": "yes"}, follow=True)
    assert message in response.content
    own.refresh_from_db()
    assert own.role == Role.FACILITATOR
    assert not ActivityEvent.objects.filter(
        verb__in=[CommunityVerb.ROLE_CHANGED, CommunityVerb.LEFT]
    ).exists()


def test_facilitator_steps_down_after_appointing_another(make_member, community, facilitator):
    """With a second facilitator, the first may become a member."""
    make_member(community, role=Role.FACILITATOR)
    own = Membership.objects.get(community=community, user=facilitator)
    membership_role_change(membership=own, role=Role.MEMBER, by=facilitator)
    assert Membership.objects.get(pk=own.pk).role == Role.MEMBER


def test_removal_records_event(make_member, community, facilitator):
    """Removing someone records who removed whom, in which community."""
    membership = make_member(community)
    person = membership.user
    membership_remove(membership=membership, by=facilitator)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = only_event(verb=CommunityVerb.REMOVED)
    assert (event.actor, event.other, event.community) == (facilitator, person, community)


def test_leaving_records_event(make_member, community):
    """Leaving records the person themselves, with nobody else involved."""
    membership = make_member(community)
    person = membership.user
    membership_remove(membership=membership, by=person)
    event = only_event(verb=CommunityVerb.LEFT)
    assert (event.actor, event.other, event.community) == (person, None, community)


def test_removal_by_member_is_refused(make_member, community):
    """A member can't remove someone else."""
    victim = make_member(community)
    bully = make_member(community).user
    with pytest.raises(PermissionDenied):
        membership_remove(membership=victim, by=bully)
    assert Membership.objects.filter(pk=victim.pk).exists()
    assert not ActivityEvent.objects.filter(verb=CommunityVerb.REMOVED).exists()


def test_role_change_with_unknown_role_on_page(make_client, make_member, community, facilitator):
    """An unknown role posted to the page is refused with a message; the role stays."""
    membership = make_member(community)
    response = make_client(facilitator).post(
        f"/communities/{community.slug}/members/{membership.user.pk}/role/",
        {"role": "boss"},
        follow=True,
    )
    assert b"Choose facilitator, core group, member or guest." in response.content
    assert Membership.objects.get(pk=membership.pk).role == Role.MEMBER


def test_directory_filters(make_client, make_member, community, facilitator):
    """The directory filters by role and by name, organisation or function."""
    make_member(community, full_name="Anna Alders", organisation="Gemeente Delft")
    make_member(community, full_name="Bram Bos", role=Role.GUEST)
    client = make_client(facilitator)
    url = f"/communities/{community.slug}/members/"

    def names(**query):
        page = client.get(url, query).context["page"]
        return [m.user.full_name for m in page.object_list]

    assert names(role="guest") == ["Bram Bos"]
    assert names(q="delft") == ["Anna Alders"]
    assert names(organisation="gemeente delft") == ["Anna Alders"]
    assert len(names()) == 3


def test_directory_htmx_fragment(make_client, make_member, community, facilitator):
    """htmx asks for just the results, and caches keep the fragment and page apart."""
    make_member(community, full_name="Anna Alders")
    response = make_client(facilitator).get(
        f"/communities/{community.slug}/members/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="directory-results",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Anna Alders" in response.content
    assert "HX-Request" in response["Vary"]


def test_a_kept_directory_card_follows_the_person(
    make_client, make_member, community, facilitator, django_capture_on_commit_callbacks
):
    """Directory cards are kept between requests and readers, yet a new name, help tag,
    role or first login shows at once, the help-tag links keep the reader's filters, and a
    second reader never gets the first one's manage menu."""
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.accounts.services import profile_update

    anna = make_member(community, full_name="Anna Alders", organisation="Gemeente Delft").user
    url = f"/communities/{community.slug}/members/"
    lead = make_client(facilitator)
    reader = make_client(make_member(community, full_name="Rita Reader").user)

    assert "Anna Alders" in lead.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=anna, by=anna, full_name="Anna de Wit", help_tags=["buurtzorg"])
    page = lead.get(url).content.decode()
    assert "Anna de Wit" in page and "Anna Alders" not in page
    page = lead.get(url, {"organisation": "Gemeente Delft"}).content.decode()
    assert "?organisation=Gemeente+Delft&amp;tag=buurtzorg" in page

    membership_role_change(
        membership=community.memberships.get(user=anna), role=Role.CORE, by=facilitator
    )
    page = reader.get(url).content.decode()
    assert "badge-core" in page
    assert f'id="role-{anna.pk}"' not in page  # the facilitator's menu, not kept in the card
    assert f'id="role-{anna.pk}"' in lead.get(url).content.decode()

    User.objects.filter(pk=anna.pk).update(password="!unusable", last_login=None)
    assert "Invited, has not logged in yet" in reader.get(url).content.decode()
    User.objects.filter(pk=anna.pk).update(last_login=timezone.now())
    assert "Invited, has not logged in yet" not in reader.get(url).content.decode()


def test_directory_cards_are_kept_only_for_the_directorys_own_filters(rf, facilitator):
    """Any other parameter in the address would give a copy of every card per address."""
    from kring.communities.views import DIRECTORY_CARD_SECONDS, _directory_card_keys

    known = ["q", "tag", "organisation"]
    kept = _directory_card_keys(rf.get("/", {"tag": "zorg", "page": "2"}), known)
    assert (kept["card_seconds"], kept["card_query"]) == (DIRECTORY_CARD_SECONDS, "tag=zorg")
    assert _directory_card_keys(rf.get("/", {"tag": "zorg", "x": "1"}), known)["card_seconds"] == 0
