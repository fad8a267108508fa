"""The action point's owner picker: it lists a few people (those at the session, the
facilitators, you and the current owner), never every member; anyone else in the community is
found by name (the members lookup with JavaScript, a typed name without); people outside the
community, or who can no longer sign in, are refused; the lookup answers members only."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.selectors import LOOKUP_LIMIT
from kring.meetings import services, services_learning, services_rsvp
from kring.meetings.models import ActionPoint
from kring.meetings.selectors import OWNER_CHOICES

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def past(make_session):
    """A session that took place yesterday; Anna attended, Bram said maybe."""
    return make_session(starts_at=timezone.now() - timedelta(days=1), title="Leerkring mei")


@pytest.fixture
def far(kring, make_member):
    """A member who had nothing to do with the session."""
    return make_member(kring.community, full_name="Zoë Verweg", language="en").user


def _at_session(kring, past):
    services.attendance_set(session=past, by=kring.facilitator, user=kring.anna, status="attended")


def _owner_options(html: str) -> list[str]:
    select = re.search(r'<select name="ap-owner".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"', select)


def _form_url(session_page: str) -> str:
    """The address the session page fetches its "Add an action point" form from (and
    links to without JavaScript)."""
    details = session_page[session_page.index('class="card add-action-point"') :]
    url = re.search(r'hx-get="([^"]+)"', details).group(1)
    assert f'<a href="{url}">' in details  # the same form without JavaScript
    return html.unescape(url)


def _form_html(client, past) -> str:
    return client.get(
        _form_url(client.get(past.get_absolute_url()).content.decode())
    ).content.decode()


def _create(client, kring, past, **data):
    return client.post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"session": past.pk, "ap-what": "Bring the map", **data},
    )


def _lookup(client, community, q):
    return client.get(reverse("member-lookup", kwargs={"slug": community.slug}), {"q": q})


# --- What the list shows ---------------------------------------------------------------------


def test_list_shows_the_session_people_not_every_member(make_client, kring, past, far):
    """Anna (attended), the facilitator and you are listed; a member far from it is not."""
    _at_session(kring, past)
    html = _form_html(make_client(kring.bram), past)
    options = _owner_options(html)
    assert str(kring.anna.pk) in options
    assert str(kring.facilitator.pk) in options
    assert str(kring.bram.pk) in options  # you
    assert str(far.pk) not in options
    # Without JavaScript a name may be typed; with it, the picker asks the lookup.
    assert 'name="ap-owner_name"' in html
    assert reverse("member-lookup", kwargs={"slug": kring.community.slug}) in html


def test_session_page_same_queries_and_size_with_5_or_60_members(
    make_client, make_member, kring, past
):
    """A past session's page and its action-point form cost the same queries, and list the
    same people, whether the community has 5 or 60 more members."""
    _at_session(kring, past)
    client = make_client(kring.facilitator)

    def measure():
        form_url = _form_url(client.get(past.get_absolute_url()).content.decode())
        client.get(form_url)
        with CaptureQueriesContext(connection) as queries:
            client.get(past.get_absolute_url())
            response = client.get(form_url)
        return len(queries), len(_owner_options(response.content.decode()))

    for n in range(5):
        make_member(kring.community, full_name=f"Lid {n:02}")
    small = measure()
    for n in range(5, 60):
        make_member(kring.community, full_name=f"Lid {n:02}")
    assert measure() == small


def test_list_is_capped_when_a_session_is_huge(make_member, kring, past):
    """However many attended, the list holds at most OWNER_CHOICES people, and the person
    named (the current owner) is always among them."""
    from kring.meetings.selectors import action_point_owner_choices

    crowd = [make_member(kring.community, full_name=f"Aa {n:03}").user for n in range(70)]
    services.attendance_set_many(
        session=past, by=kring.facilitator, statuses=[(p, "attended") for p in crowd]
    )
    people = action_point_owner_choices(
        community=kring.community, session=past, include=[kring.bram.pk]
    )
    assert len(people) == OWNER_CHOICES
    assert kring.bram in people


def test_rsvp_maybe_is_listed(make_client, kring, make_session):
    """Someone who said maybe to the session is in the list once it started."""
    session = make_session(starts_at=timezone.now() + timedelta(hours=1))
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="maybe")
    from kring.meetings.selectors import action_point_owner_choices

    assert kring.bram in action_point_owner_choices(community=kring.community, session=session)


# --- Choosing someone not in the list --------------------------------------------------------


def test_any_active_member_may_be_chosen_by_id(make_client, kring, past, far):
    """The picker's search may give anyone in the community: accepted, though not listed."""
    response = _create(make_client(kring.anna), kring, past, **{"ap-owner": far.pk})
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == far


@pytest.mark.parametrize("who", ["outsider", "inactive"])
def test_owner_must_be_an_active_member(make_client, make_member, kring, past, who):
    """An owner outside the community, or a member who can no longer sign in, is refused
    next to the field; nothing is saved."""
    person = kring.outsider
    if who == "inactive":
        person = make_member(kring.community, full_name="Ina Actief").user
        User.objects.filter(pk=person.pk).update(is_active=False)
    response = _create(make_client(kring.anna), kring, past, **{"ap-owner": person.pk})
    assert response.status_code == 200
    assert "Choose a member of this community." in response.content.decode()
    assert not ActionPoint.objects.exists()


def test_typed_name_of_one_member_is_the_owner(make_client, kring, past, far):
    """Without JavaScript: the full name of one member (any case, extra spaces) chooses them,
    above the list's choice."""
    response = _create(
        make_client(kring.anna),
        kring,
        past,
        **{"ap-owner": kring.anna.pk, "ap-owner_name": "  zoë   VERWEG "},
    )
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == far


def test_typed_name_alone_is_enough(make_client, kring, past, far):
    """Nothing chosen in the list and a name typed: the name decides."""
    response = _create(make_client(kring.anna), kring, past, **{"ap-owner_name": "Zoë Verweg"})
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == far


def test_typed_name_of_an_outsider_is_refused(make_client, kring, past):
    """A name only someone outside the community has finds nobody; nothing is saved."""
    response = _create(
        make_client(kring.anna), kring, past, **{"ap-owner_name": kring.outsider.full_name}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No member of this community has that name." in html
    assert f'value="{kring.outsider.full_name}"' in html  # what was typed stays
    assert str(kring.outsider.pk) not in _owner_options(html)
    assert not ActionPoint.objects.exists()


def test_typed_name_of_several_members_offers_them(make_client, make_member, kring, past):
    """Two members with the same name: the form asks to choose, offers both in the list with
    their organisation, and choosing one of them (the name still typed) saves."""
    one = make_member(kring.community, full_name="Jan de Vries", organisation="Wijkteam").user
    two = make_member(kring.community, full_name="Jan de Vries", organisation="GGD").user
    client = make_client(kring.anna)
    response = _create(
        client, kring, past, **{"ap-owner": kring.anna.pk, "ap-owner_name": "jan de vries"}
    )
    html = response.content.decode()
    assert "More than one member has this name." in html
    assert {str(one.pk), str(two.pk)} <= set(_owner_options(html))
    assert "Jan de Vries (GGD)" in html
    assert not re.search(r'<option value="\d+" selected', html)  # nobody chosen for you
    assert not ActionPoint.objects.exists()
    response = _create(client, kring, past, **{"ap-owner": two.pk, "ap-owner_name": "jan de vries"})
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == two


def test_part_of_a_name_offers_who_fits(make_client, kring, past, far):
    """A first name only: those who fit are offered; nothing is saved yet."""
    response = _create(make_client(kring.anna), kring, past, **{"ap-owner_name": "Zoë"})
    html = response.content.decode()
    assert "Choose the person you mean in the list" in html
    assert str(far.pk) in _owner_options(html)
    assert not ActionPoint.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 151, "Keep the name to 150 characters."),
        (HOSTILE, "No member of this community has that name."),
        ("%", "No member of this community has that name."),
    ],
)
def test_typed_name_bad_input(make_client, kring, past, name, message):
    """Oversized, hostile or wildcard names get a clear message; nothing is saved, and the
    hostile text is shown escaped."""
    response = _create(make_client(kring.anna), kring, past, **{"ap-owner_name": name})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert HOSTILE not in html
    assert not ActionPoint.objects.exists()


def test_update_keeps_an_owner_far_from_the_session(make_client, kring, past, far):
    """Editing a point held by someone not at the session shows them chosen in the list."""
    point = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Call", owner=far, session=past
    )
    html = (
        make_client(kring.anna)
        .get(reverse("action-point-update", kwargs={"slug": kring.community.slug, "pk": point.pk}))
        .content.decode()
    )
    assert f'<option value="{far.pk}" selected>' in html


# --- The lookup ------------------------------------------------------------------------------


def test_lookup_finds_members_by_word_start(make_client, make_community, make_member, kring, far):
    """A member gets the members whose name (or a word of it) starts with what was typed; a
    namesake in another community, or one who can no longer sign in, is not among them."""
    other = make_community(name="Elders")
    make_member(other, full_name="Zoë Elders")
    gone = make_member(kring.community, full_name="Zoë Weg").user
    User.objects.filter(pk=gone.pk).update(is_active=False)
    response = _lookup(make_client(kring.bram), kring.community, "zo")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [far.pk]
    by_surname = _lookup(make_client(kring.bram), kring.community, "verw").json()["results"]
    assert by_surname == [{"id": far.pk, "name": "Zoë Verweg", "organisation": ""}]


def test_lookup_answers_a_short_list(make_client, make_member, kring):
    """However many fit, at most LOOKUP_LIMIT people come back; nothing for an empty query."""
    for n in range(LOOKUP_LIMIT + 5):
        make_member(kring.community, full_name=f"Lid {n:02}")
    client = make_client(kring.bram)
    assert len(_lookup(client, kring.community, "lid").json()["results"]) == LOOKUP_LIMIT
    assert _lookup(client, kring.community, "   ").json() == {"results": []}
    assert _lookup(client, kring.community, "x" * 5000).json() == {"results": []}


def test_lookup_same_queries_with_5_or_60_members(make_client, make_member, kring):
    """The lookup costs the same queries in a small and a larger community."""
    client = make_client(kring.bram)

    def count():
        _lookup(client, kring.community, "lid")
        with CaptureQueriesContext(connection) as queries:
            _lookup(client, kring.community, "lid")
        return len(queries)

    for n in range(5):
        make_member(kring.community, full_name=f"Lid {n:02}")
    small = count()
    for n in range(5, 60):
        make_member(kring.community, full_name=f"Lid {n:02}")
    assert count() == small


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_lookup_refuses_outsiders(make_client, make_community, make_member, visibility):
    """Someone outside the community gets 404 (private or public: no member list leaks);
    someone not signed in goes to the login page."""
    community = make_community(name="Buurtzorg", visibility=visibility)
    make_member(community, full_name="Zoë Binnen")
    outsider_client = make_client(make_member(make_community(name="Ander")).user)
    assert _lookup(outsider_client, community, "zo").status_code == 404
    anonymous = _lookup(make_client(), community, "zo")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
