"""The pages for reflections and action points: who may do what, bad and hostile input, what
the session page's learning part shows, and query counts that don't grow with the data."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kring.meetings import services_learning
from kring.meetings.models import ActionPoint, Reflection
from kring.meetings.views.learning import learning_context

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def people(kring, make_admin, make_member):
    """Everyone who may come knocking, by role; Anna made the point, Bram holds it, Carla is
    another member."""
    carla = make_member(kring.community, full_name="Carla Member", language="en").user
    return {
        "anonymous": None,
        "outsider": kring.outsider,
        "guest": kring.guest,
        "member": carla,
        "owner": kring.bram,
        "creator": kring.anna,
        "facilitator": kring.facilitator,
        "admin": make_admin(full_name="Ada Admin", language="en"),
    }


@pytest.fixture
def past(make_session):
    """A session that took place yesterday."""
    return make_session(starts_at=timezone.now() - timedelta(days=1), title="Leerkring mei")


@pytest.fixture
def point(kring, past):
    """Anna's action point for Bram, made at yesterday's session."""
    return services_learning.action_point_create(
        community=kring.community,
        by=kring.anna,
        what="Call the district nurse",
        owner=kring.bram,
        due_date=timezone.localdate() + timedelta(days=14),
        session=past,
    )


def session_url(name, session, **kw):
    return reverse(name, kwargs={"slug": session.community.slug, "pk": session.pk, **kw})


def point_url(name, point):
    return reverse(name, kwargs={"slug": point.community.slug, "pk": point.pk})


def list_url(kring):
    return reverse("action-point-list", kwargs={"slug": kring.community.slug})


def client_for(make_client, people, who):
    return make_client(people[who])


def render_learning(session, user):
    """The session page's learning part as that page includes it."""
    request = RequestFactory().get(session.get_absolute_url())
    request.user = user or AnonymousUser()
    context = {"session": session, "community": session.community, "user": request.user}
    context.update(learning_context(request, session))
    return render_to_string("meetings/_session_learning.html", context, request=request)


# --- Reflections ----------------------------------------------------------------------------

REFLECT_TABLE = [
    ("outsider", 404),
    ("guest", 200),
    ("member", 200),
    ("facilitator", 200),
    ("admin", 403),
]


@pytest.mark.parametrize(("who", "status"), REFLECT_TABLE)
def test_reflection_page_access(make_client, people, past, who, status):
    """People in the community may reflect; outsiders get 404, a platform admin outside it 403."""
    response = client_for(make_client, people, who).get(session_url("reflection-create", past))
    assert response.status_code == status


def test_reflection_page_anonymous_goes_to_login(make_client, past):
    """Someone not logged in is sent to the login page."""
    response = make_client().get(session_url("reflection-create", past))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_reflection_page_before_start_refused(make_client, kring, make_session):
    """Before the session has started, nobody can write a reflection yet."""
    later = make_session(starts_at=timezone.now() + timedelta(hours=2))
    client = make_client(kring.anna)
    assert client.get(session_url("reflection-create", later)).status_code == 403
    response = client.post(session_url("reflection-create", later), {"did": "Too early"})
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_reflection_page_shows_three_levels_folded(make_client, kring, past):
    """The three levels are asked as optional questions, each explanation folded away."""
    response = make_client(kring.anna).get(session_url("reflection-create", past))
    html = response.content.decode()
    assert "Are we doing things right?" in html
    assert "Are we doing the right things?" in html
    assert "Who are we, what do we want, and how do we decide what is right?" in html
    assert html.count('<details class="level-hint">') == 3


def test_reflection_saved_then_edited(make_client, kring, past):
    """Writing saves your reflection; the next visit edits the same one."""
    client = make_client(kring.anna)
    response = client.post(
        session_url("reflection-create", past),
        {"did": "We mapped the neighbourhood", "double_loop": "Is a map what people need?"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(past.get_absolute_url() + "#reflections")
    page = client.get(session_url("reflection-create", past)).content.decode()
    assert "We mapped the neighbourhood" in page
    client.post(session_url("reflection-create", past), {"learned": "Ask before mapping"})
    reflection = Reflection.objects.get()
    assert (reflection.did, reflection.learned) == ("", "Ask before mapping")


def test_empty_reflection_refused(make_client, kring, past):
    """A reflection with only blanks gets a clear message and nothing is saved."""
    response = make_client(kring.anna).post(
        session_url("reflection-create", past), {"did": "   ", "noticed": ""}
    )
    assert response.status_code == 200
    assert "Write at least one part of your reflection." in response.content.decode()
    assert not Reflection.objects.exists()


def test_oversized_reflection_refused(make_client, kring, past):
    """A part over 5000 characters is refused next to the field, and what was typed stays."""
    response = make_client(kring.anna).post(
        session_url("reflection-create", past), {"did": "ok", "learned": "x" * 5001}
    )
    html = response.content.decode()
    assert "Keep each part to 5000 characters." in html
    assert "ok</textarea>" in html
    assert not Reflection.objects.exists()


def test_hostile_reflection_shows_as_text(make_client, kring, past):
    """Script in a reflection is shown as text on the session page, with line breaks kept."""
    make_client(kring.anna).post(
        session_url("reflection-create", past), {"noticed": HOSTILE + "\nsecond line"}
    )
    html = render_learning(past, kring.bram)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>second line" in html


def test_reflections_listed_with_author_and_headings(kring, past):
    """The session page lists each reflection with its author and only the parts written."""
    services_learning.reflection_save(
        session=past, by=kring.anna, did="Walked", triple_loop="We choose"
    )
    html = render_learning(past, kring.guest)
    assert "Anna Member" in html
    assert "What we did" in html and "Walked" in html
    assert "Who are we, what do we want" in html
    assert "What we noticed" not in html
    # A guest may reflect too, but not mark reflections for the library.
    assert "Write your reflection" in html
    assert "Worth carrying to the library" not in html


HIGHLIGHT_TABLE = [
    ("outsider", 404),
    ("guest", 403),
    ("member", 403),
    ("facilitator", 302),
    ("admin", 302),
]


@pytest.mark.parametrize(("who", "status"), HIGHLIGHT_TABLE)
def test_highlight_only_by_facilitators(make_client, people, kring, past, who, status):
    """Only facilitators (and platform admins) mark a reflection worth carrying to the library."""
    reflection = services_learning.reflection_save(
        session=past, by=kring.bram, learned="Listen first"
    )
    response = client_for(make_client, people, who).post(
        session_url("reflection-highlight", past, reflection_pk=reflection.pk),
        {"highlighted": "1"},
    )
    assert response.status_code == status
    reflection.refresh_from_db()
    assert reflection.highlighted is (status == 302)


def test_highlight_of_another_sessions_reflection_is_404(make_client, kring, past, make_session):
    """A reflection addressed through another session's URL is not found."""
    reflection = services_learning.reflection_save(session=past, by=kring.bram, learned="Listen")
    other = make_session(starts_at=timezone.now() - timedelta(days=3))
    response = make_client(kring.facilitator).post(
        session_url("reflection-highlight", other, reflection_pk=reflection.pk)
    )
    assert response.status_code == 404
    reflection.refresh_from_db()
    assert not reflection.highlighted


def test_highlighted_reflection_links_to_prefilled_library_page(make_client, kring, past):
    """A highlighted reflection offers a link that opens the library's share page prefilled."""
    reflection = services_learning.reflection_save(
        session=past, by=kring.bram, learned="Listen first"
    )
    services_learning.reflection_highlight(reflection=reflection, by=kring.facilitator)
    html = render_learning(past, kring.facilitator)
    assert "Share in the library" in html
    start = html.index(reverse("item-create", kwargs={"slug": kring.community.slug}) + "?")
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query["kind"] == ["practice_story"]
    assert query["title"] == ["What we learned: Leerkring mei"]
    assert "Listen first" in query["body"][0]
    page = make_client(kring.bram).get(link).content.decode()
    assert 'value="What we learned: Leerkring mei"' in page
    assert "Listen first" in page


def test_long_highlighted_reflection_link_stays_short(kring, past):
    """The prefilled link stays under the request-line limit of the web server."""
    reflection = services_learning.reflection_save(
        session=past, by=kring.bram, **dict.fromkeys(("did", "noticed", "learned"), "ü " * 2400)
    )
    services_learning.reflection_highlight(reflection=reflection, by=kring.facilitator)
    context = learning_context(_request(kring.facilitator, past), past)
    assert len(context["learning"]["reflections"][0].share_url) < 4000


def _request(user, session):
    request = RequestFactory().get(session.get_absolute_url())
    request.user = user
    return request


# --- Action points: making them -------------------------------------------------------------

CREATE_TABLE = [
    ("outsider", 404),
    ("guest", 302),
    ("member", 302),
    ("facilitator", 302),
    ("admin", 302),
]


@pytest.mark.parametrize(("who", "status"), CREATE_TABLE)
def test_action_point_create_access(make_client, people, kring, past, who, status):
    """Everyone inside the community (and a platform admin) may add an action point."""
    response = client_for(make_client, people, who).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"session": past.pk, "ap-what": "Bring the map", "ap-owner": kring.bram.pk},
    )
    assert response.status_code == status
    assert ActionPoint.objects.filter(what="Bring the map").exists() is (status == 302)


def test_action_point_create_anonymous_goes_to_login(make_client, kring):
    """Someone not logged in is sent to the login page and nothing is saved."""
    response = make_client().post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"ap-what": "Sneak in"},
    )
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ActionPoint.objects.exists()


def test_action_point_from_session_page_returns_there(make_client, kring, past):
    """Made on a session page, the point belongs to that session and you go back there."""
    due = timezone.localdate() + timedelta(days=7)
    response = make_client(kring.anna).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {
            "session": past.pk,
            "next": past.get_absolute_url() + "#action-points",
            "ap-what": "Bring the map",
            "ap-owner": kring.bram.pk,
            "ap-due_date": due.isoformat(),
        },
    )
    assert response["Location"] == past.get_absolute_url() + "#action-points"
    point = ActionPoint.objects.get()
    assert (point.session, point.owner, point.due_date, point.created_by) == (
        past,
        kring.bram,
        due,
        kring.anna,
    )


def test_action_point_owner_outside_community_refused(make_client, kring, past):
    """An owner outside the community is refused next to the field; nothing is saved."""
    response = make_client(kring.anna).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"session": past.pk, "ap-what": "Keep this text", "ap-owner": kring.outsider.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a member of this community." in html
    assert 'value="Keep this text"' in html
    assert not ActionPoint.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ap-what": ""}, "Say what will be done."),
        ({"ap-what": "x" * 301}, "Keep it to 300 characters."),
        ({"ap-what": "ok", "ap-due_date": "next tuesday"}, "Enter a date"),
        ({"ap-what": "ok", "ap-due_date": "2001-01-01"}, "Choose today or a later date."),
    ],
)
def test_action_point_bad_input(make_client, kring, data, message):
    """Bad input gets a clear message next to the field and nothing is saved."""
    response = make_client(kring.anna).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"ap-owner": kring.anna.pk, **data},
    )
    assert message in response.content.decode()
    assert not ActionPoint.objects.exists()


def test_action_point_for_another_communitys_session_is_404(
    make_client, kring, make_community, make_session
):
    """A session of another community cannot be named; nothing is saved."""
    other = make_community(by=kring.facilitator, name="Elders")
    theirs = make_session(community=other, starts_at=timezone.now() - timedelta(days=1))
    response = make_client(kring.facilitator).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {"session": theirs.pk, "ap-what": "Cross over", "ap-owner": kring.anna.pk},
    )
    assert response.status_code == 404
    assert not ActionPoint.objects.exists()


def test_hostile_action_point_shows_as_text(make_client, kring, past):
    """Script in an action point is shown as text on the list and the session page."""
    services_learning.action_point_create(
        community=kring.community, by=kring.anna, what=HOSTILE, owner=kring.anna, session=past
    )
    html = make_client(kring.bram).get(list_url(kring)).content.decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    html = render_learning(past, kring.bram)
    assert HOSTILE not in html and "&lt;script&gt;" in html


# --- Action points: changing them -----------------------------------------------------------

CHANGE_TABLE = [
    ("outsider", 404),
    ("guest", 403),
    ("member", 403),
    ("owner", 200),
    ("creator", 200),
    ("facilitator", 200),
    ("admin", 200),
]


@pytest.mark.parametrize(("who", "status"), CHANGE_TABLE)
def test_action_point_update_access(make_client, people, kring, point, who, status):
    """The holder, the maker and facilitators edit an action point; others may not."""
    client = client_for(make_client, people, who)
    assert client.get(point_url("action-point-update", point)).status_code == status
    response = client.post(
        point_url("action-point-update", point),
        {"ap-what": "Call the nurse today", "ap-owner": kring.bram.pk},
    )
    assert response.status_code == (302 if status == 200 else status)
    point.refresh_from_db()
    assert (point.what == "Call the nurse today") is (status == 200)


def test_action_point_update_keeps_an_old_due_date(make_client, kring, point):
    """A date already passed may stay as it was when the text is changed."""
    ActionPoint.objects.filter(pk=point.pk).update(due_date=date(2020, 1, 1))
    response = make_client(kring.bram).post(
        point_url("action-point-update", point),
        {"ap-what": "Still to do", "ap-owner": kring.bram.pk, "ap-due_date": "2020-01-01"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.what == "Still to do"


@pytest.mark.parametrize(("who", "status"), CHANGE_TABLE)
def test_action_point_done_access(make_client, people, kring, point, who, status):
    """Only the holder, the maker and facilitators tick an action point off."""
    response = client_for(make_client, people, who).post(
        point_url("action-point-done", point), {"done": ["0", "1"]}
    )
    assert response.status_code == (302 if status == 200 else status)
    point.refresh_from_db()
    assert point.is_done is (status == 200)


def test_action_point_done_by_htmx_returns_the_row(make_client, kring, point):
    """With htmx, ticking off returns the updated row, and unticking opens it again."""
    client = make_client(kring.bram)
    response = client.post(
        point_url("action-point-done", point), {"done": ["0", "1"]}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li class="action-point action-point-done" id="action-point-{point.pk}"'
    )
    assert " checked" in html
    response = client.post(
        point_url("action-point-done", point), {"done": "0"}, HTTP_HX_REQUEST="true"
    )
    point.refresh_from_db()
    assert not point.is_done
    assert " checked" not in response.content.decode()


def test_action_point_done_needs_post(make_client, kring, point):
    """Ticking off by a GET request is not allowed."""
    assert make_client(kring.bram).get(point_url("action-point-done", point)).status_code == 405


@pytest.mark.parametrize(("who", "status"), CHANGE_TABLE)
def test_action_point_delete_access(make_client, people, kring, point, who, status):
    """Only the holder, the maker and facilitators remove an action point."""
    client = client_for(make_client, people, who)
    assert client.get(point_url("action-point-delete", point)).status_code == status
    response = client.post(point_url("action-point-delete", point), {"confirm": "yes"})
    assert response.status_code == (302 if status == 200 else status)
    assert ActionPoint.objects.filter(pk=point.pk).exists() is (status != 200)


def test_action_point_delete_asks_first(make_client, kring, point):
    """Opening "Remove…" or posting without the confirmation removes nothing; it asks."""
    client = make_client(kring.facilitator)
    with translation.override("en"):
        asked = client.get(point_url("action-point-delete", point))
        assert "Remove this action point?" in asked.content.decode()
        again = client.post(point_url("action-point-delete", point))
    assert again.status_code == 200
    assert ActionPoint.objects.filter(pk=point.pk).exists()


def test_action_point_change_anonymous_goes_to_login(make_client, point):
    """Someone not logged in changes nothing."""
    client = make_client()
    for name in ("action-point-update", "action-point-done", "action-point-delete"):
        response = client.post(point_url(name, point), {"done": "1", "ap-what": "x"})
        assert response.status_code == 302 and "/login/" in response["Location"]
    point.refresh_from_db()
    assert point.what == "Call the district nurse" and not point.is_done


def test_unsafe_next_is_ignored(make_client, kring, point):
    """A `next` pointing to another site falls back to the community's list."""
    response = make_client(kring.bram).post(
        point_url("action-point-done", point), {"done": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == list_url(kring)


# --- Carried to the next session ------------------------------------------------------------


def test_open_point_carried_to_next_session_until_done(kring, make_session, make_client):
    """An open point from session 1 shows on session 2's agenda until it is done."""
    first = make_session(starts_at=timezone.now() - timedelta(days=42), title="One")
    second = make_session(starts_at=timezone.now() + timedelta(days=1), title="Two")
    point = services_learning.action_point_create(
        community=kring.community,
        by=kring.anna,
        what="Visit the day care centre",
        owner=kring.anna,
        session=first,
    )
    client = make_client(kring.bram)
    html = client.get(second.get_absolute_url()).content.decode()
    assert "Open action points from earlier sessions" in html
    assert "Visit the day care centre" in html
    services_learning.action_point_complete(point=point, by=kring.anna)
    html = client.get(second.get_absolute_url()).content.decode()
    assert "Visit the day care centre" not in html
    assert "Visit the day care centre" in render_learning(first, kring.bram)


def test_session_page_offers_action_point_form_only_after_start(kring, past, make_session):
    """The form to add a point shows once the session has started, for people inside."""
    later = make_session(starts_at=timezone.now() + timedelta(days=3))
    assert "Add an action point" in render_learning(past, kring.guest)
    assert "Add an action point" not in render_learning(later, kring.anna)


# --- Lists --------------------------------------------------------------------------------

LIST_TABLE = [
    ("outsider", 404),
    ("guest", 200),
    ("member", 200),
    ("facilitator", 200),
    ("admin", 200),
]


@pytest.mark.parametrize(("who", "status"), LIST_TABLE)
def test_action_point_list_access(make_client, people, kring, who, status):
    """People inside the community see its action points; outsiders get 404."""
    response = client_for(make_client, people, who).get(list_url(kring))
    assert response.status_code == status


def test_action_point_list_anonymous_goes_to_login(make_client, kring):
    """Someone not logged in is sent to the login page."""
    for url in (list_url(kring), reverse("my-action-points")):
        response = make_client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_action_point_list_open_done_overdue_and_filter(make_client, kring, point):
    """The list shows open and done points, marks overdue ones and filters by person."""
    late = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Send the minutes", owner=kring.anna
    )
    ActionPoint.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    done = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Book the room", owner=kring.anna
    )
    services_learning.action_point_complete(point=done, by=kring.anna)
    client = make_client(kring.guest)
    html = client.get(list_url(kring)).content.decode()
    assert "2 open action points" in html
    assert "Overdue" in html and html.count("badge-overdue") == 1
    assert "Book the room" in html and "Call the district nurse" in html
    html = client.get(list_url(kring) + f"?owner={kring.bram.pk}").content.decode()
    assert "1 open action point for Bram Member" in html
    assert "Send the minutes" not in html and "Book the room" not in html
    html = client.get(list_url(kring) + f"?owner={kring.outsider.pk}").content.decode()
    assert "2 open action points" in html


def test_action_point_list_primary_action_is_a_point_you_may_tick(make_client, kring, point):
    """The one primary action is ticking off an open point you may tick, not someone else's."""
    services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Send the minutes", owner=kring.anna
    )
    html = make_client(kring.bram).get(list_url(kring)).content.decode()
    assert html.count("data-primary-action") == 1
    assert re.search(rf'id="done-{point.pk}"[^>]*data-primary-action', html)


def test_action_point_list_primary_action_without_own_point_is_adding_one(
    make_client, people, kring, point
):
    """A member with no open point to tick gets "Add an action point" as the primary action."""
    html = make_client(people["member"]).get(list_url(kring)).content.decode()
    assert html.count("data-primary-action") == 1
    assert re.search(r'<a class="button" href="#add-title" data-primary-action>', html)
    assert 'id="add-title"' in html


def test_my_action_points_across_communities(
    make_client, kring, make_community, make_member, point
):
    """Your own page lists your points in all your communities, not other people's."""
    other = make_community(name="Wijkteams")
    make_member(other, user=kring.bram)
    services_learning.action_point_create(
        community=other, by=kring.bram, what="Elsewhere", owner=kring.bram
    )
    services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Anna's own", owner=kring.anna
    )
    html = make_client(kring.bram).get(reverse("my-action-points")).content.decode()
    assert "Call the district nurse" in html and "Elsewhere" in html
    assert "Wijkteams" in html and "Zorg thuis" in html
    assert "Anna&#x27;s own" not in html


def _points(kring, n, session=None):
    for i in range(n):
        point = services_learning.action_point_create(
            community=kring.community,
            by=kring.anna,
            what=f"Point {i}",
            owner=kring.bram if i % 2 else kring.anna,
            due_date=timezone.localdate() + timedelta(days=i - 2),
            session=session,
        )
        # Both people get a done point even among the first three.
        if i < 2 or i % 3 == 0:
            services_learning.action_point_complete(point=point, by=kring.anna)


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda kring: list_url(kring),
        lambda kring: list_url(kring) + f"?owner={kring.bram.pk}",
        lambda kring: reverse("my-action-points"),
    ],
)
def test_list_queries_do_not_grow(make_client, kring, url_of):
    """The lists take as many queries for 30 action points as for 3."""
    client = make_client(kring.bram)
    _points(kring, 3)
    few = _count(lambda: client.get(url_of(kring)))
    _points(kring, 27)
    many = _count(lambda: client.get(url_of(kring)))
    assert client.get(url_of(kring)).status_code == 200
    assert many == few


def test_session_learning_queries_do_not_grow(kring, past, make_session, make_member):
    """The session page's learning part takes as many queries for 30 points as for 3."""
    earlier = make_session(starts_at=timezone.now() - timedelta(days=42))
    _points(kring, 3, session=past)
    _points(kring, 3, session=earlier)
    services_learning.reflection_save(session=past, by=kring.anna, did="a")
    few = _count(lambda: render_learning(past, kring.facilitator))
    _points(kring, 27, session=past)
    _points(kring, 27, session=earlier)
    for i in range(10):
        user = make_member(kring.community, full_name=f"Member {i}").user
        services_learning.reflection_save(session=past, by=user, learned=f"lesson {i}")
    many = _count(lambda: render_learning(past, kring.facilitator))
    assert many == few


def test_session_page_shows_reflections_and_action_points(make_client, kring, past, point):
    """The session page itself carries the reflections and the action points made there."""
    services_learning.reflection_save(session=past, by=kring.anna, learned="Small steps work")
    html = make_client(kring.bram).get(past.get_absolute_url()).content.decode()
    assert "Small steps work" in html
    assert "Call the district nurse" in html
    assert (
        reverse("action-point-done", kwargs={"slug": kring.community.slug, "pk": point.pk}) in html
    )
