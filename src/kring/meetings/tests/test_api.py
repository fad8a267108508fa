"""Sessions, series, RSVPs, attendance and action points over HTTP, with the same rules as the
web pages."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kring.core.testing import assert_error
from kring.meetings import services, services_learning, services_rsvp
from kring.meetings.models import ActionPoint, Attendance, Rsvp, Series, Session, SessionStatus
from kring.meetings.tests.conftest import AMSTERDAM, local

pytestmark = pytest.mark.django_db


def send(client, method, path, data=None, headers=None):
    if method == "get":
        return client.get(path, data or {}, **(headers or {}))
    if data is None:
        return getattr(client, method)(path, **(headers or {}))
    return getattr(client, method)(
        path, json.dumps(data), content_type="application/json", **(headers or {})
    )


@pytest.fixture
def plan(kring, make_session, make_admin):
    """An upcoming session with two places, a past one, and Anna's action point."""
    upcoming = make_session(title="Volgende keer", capacity=2)
    past = make_session(starts_at=timezone.now() - timedelta(days=7), title="Vorige keer")
    point = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Verslag rondsturen", owner=kring.anna
    )
    return {
        "base": f"/api/v1/communities/{kring.community.slug}",
        "upcoming": upcoming,
        "past": past,
        "point": point,
        "admin": make_admin(full_name="Ada Admin"),
    }


def endpoints(kring, plan) -> dict[str, tuple[str, str, object]]:
    s, p, a = plan["upcoming"].pk, plan["past"].pk, plan["point"].pk
    start = (timezone.now() + timedelta(days=30)).astimezone(AMSTERDAM).replace(microsecond=0)
    new_session = {
        "title": "Extra",
        "location": "Stadhuis",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        # A platform admin outside the community can't lead it: the facilitators are named.
        "facilitator_ids": [kring.facilitator.pk],
    }
    new_series = {
        "title": "Ritme",
        "location": "Stadhuis",
        "first_start": start.isoformat(),
        "facilitator_ids": [kring.facilitator.pk],
    }
    return {
        "list sessions": ("get", "/sessions", None),
        "create session": ("post", "/sessions", new_session),
        "create series": ("post", "/series", new_series),
        "read session": ("get", f"/sessions/{s}", None),
        "change session": ("patch", f"/sessions/{s}", {"title": "Anders"}),
        "cancel session": ("post", f"/sessions/{s}/cancel", {"reason": "Ziek"}),
        "rsvp": ("put", f"/sessions/{s}/rsvp", {"response": "yes"}),
        "list rsvps": ("get", f"/sessions/{s}/rsvps", None),
        "read attendance": ("get", f"/sessions/{p}/attendance", None),
        "put attendance": (
            "put",
            f"/sessions/{p}/attendance",
            [{"user_id": kring.anna.pk, "status": "attended"}],
        ),
        "list action points": ("get", "/action-points", None),
        "create action point": ("post", "/action-points", {"what": "Bellen"}),
        "change action point": ("patch", f"/action-points/{a}", {"what": "Anders"}),
        "action point done": ("post", f"/action-points/{a}/done", None),
    }


PEOPLE = ("outsider", "guest", "bram", "anna", "facilitator", "admin")
# Expected status per endpoint for: outsider, guest, member Bram, member Anna (holds the
# action point), facilitator, platform admin (not a member).
TABLE = {
    "list sessions": (404, 200, 200, 200, 200, 200),
    "create session": (404, 403, 403, 403, 201, 201),
    "create series": (404, 403, 403, 403, 201, 201),
    "read session": (404, 200, 200, 200, 200, 200),
    "change session": (404, 403, 403, 403, 200, 200),
    "cancel session": (404, 403, 403, 403, 200, 200),
    "rsvp": (404, 200, 200, 200, 200, 403),
    "list rsvps": (404, 200, 200, 200, 200, 200),
    "read attendance": (404, 403, 403, 403, 200, 200),
    "put attendance": (404, 403, 403, 403, 200, 200),
    "list action points": (404, 200, 200, 200, 200, 200),
    "create action point": (404, 201, 201, 201, 201, 201),
    "change action point": (404, 403, 403, 200, 200, 200),
    "action point done": (404, 403, 403, 200, 200, 200),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("name", list(TABLE))
def test_permission_table(kring, plan, make_client, bearer, name, who):
    """Outsiders get 404 for everything; only facilitators (and platform admins) plan and
    register attendance; members and guests RSVP; action points are changed by their holder,
    their maker and facilitators."""
    user = plan["admin"] if who == "admin" else getattr(kring, who)
    method, rest, data = endpoints(kring, plan)[name]
    response = send(make_client(), method, plan["base"] + rest, data, bearer(user))
    expected = TABLE[name][PEOPLE.index(who)]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert_error(response, expected, {403: "forbidden", 404: "not_found"}[expected])


@pytest.mark.parametrize("name", ["create session", "change session", "rsvp", "put attendance"])
def test_read_tokens_cannot_write(kring, plan, make_client, bearer, name):
    """A read token gets 403 read_only_token on every write, and nothing changes."""
    method, rest, data = endpoints(kring, plan)[name]
    before = (Session.objects.count(), Rsvp.objects.count(), Attendance.objects.count())
    response = send(
        make_client(), method, plan["base"] + rest, data, bearer(kring.facilitator, "read")
    )
    assert_error(response, 403, "read_only_token")
    assert (Session.objects.count(), Rsvp.objects.count(), Attendance.objects.count()) == before
    assert Session.objects.get(pk=plan["upcoming"].pk).title == "Volgende keer"


def test_read_token_reads_and_anonymous_gets_401(kring, plan, make_client, bearer):
    """A read token lists sessions; without a token the answer is 401."""
    ok = make_client().get(plan["base"] + "/sessions", **bearer(kring.anna, "read"))
    assert ok.status_code == 200
    assert_error(make_client().get(plan["base"] + "/sessions"), 401, "unauthenticated")


def test_guessed_ids_from_another_community_give_404(
    kring, plan, make_client, bearer, make_community
):
    """A session or action point of another community is not found through this one."""
    other = make_community(by=kring.facilitator, name="Elders")
    elsewhere = services.session_create(
        community=other,
        by=kring.facilitator,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        title="Elders",
        location="Elders",
    )
    point = services_learning.action_point_create(
        community=other, by=kring.facilitator, what="Elders"
    )
    client, headers = make_client(), bearer(kring.facilitator)
    base = plan["base"]
    for method, path, data in [
        ("get", f"/sessions/{elsewhere.pk}", None),
        ("patch", f"/sessions/{elsewhere.pk}", {"title": "Weg"}),
        ("put", f"/sessions/{elsewhere.pk}/rsvp", {"response": "yes"}),
        ("get", f"/sessions/{elsewhere.pk}/attendance", None),
        ("patch", f"/action-points/{point.pk}", {"what": "Weg"}),
        ("post", f"/action-points/{point.pk}/done", None),
        ("get", "/sessions/999999", None),
    ]:
        assert_error(send(client, method, base + path, data, headers), 404, "not_found")
    assert Session.objects.get(pk=elsewhere.pk).title == "Elders"
    assert not ActionPoint.objects.get(pk=point.pk).is_done


# --- Sessions -------------------------------------------------------------------------------


def test_list_sessions_upcoming_past_and_pages(kring, plan, make_client, bearer):
    """`when` chooses upcoming (default), past or all; pages are {"items", "count"}."""
    client, headers = make_client(), bearer(kring.anna)
    services_rsvp.rsvp_set(session=plan["upcoming"], user=kring.anna, response="yes", note="Graag")
    upcoming = client.get(plan["base"] + "/sessions", **headers).json()
    assert upcoming["count"] == 1
    item = upcoming["items"][0]
    # Anna, and Fenna who planned it.
    assert item["title"] == "Volgende keer" and item["going_count"] == 2
    assert item["my_rsvp"]["response"] == "yes" and item["my_rsvp"]["note"] == "Graag"
    assert item["facilitators"] == [{"id": kring.facilitator.pk, "name": "Fenna Facilitator"}]
    past = client.get(plan["base"] + "/sessions", {"when": "past"}, **headers).json()
    assert [s["title"] for s in past["items"]] == ["Vorige keer"]
    every = client.get(plan["base"] + "/sessions", {"when": "all"}, **headers).json()
    assert every["count"] == 2
    body = assert_error(
        client.get(plan["base"] + "/sessions", {"when": "soon"}, **headers), 422, "invalid"
    )
    assert "when" in body["errors"]


def test_session_list_queries_do_not_grow(kring, plan, make_client, bearer, make_session):
    """Listing 2 or 12 sessions takes the same number of queries."""
    client, headers = make_client(), bearer(kring.anna)
    client.get(plan["base"] + "/sessions?when=all", **headers)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(plan["base"] + "/sessions?when=all", **headers)
    for i in range(10):
        session = make_session(starts_at=timezone.now() + timedelta(days=10 + i))
        services_rsvp.rsvp_set(session=session, user=kring.anna, response="maybe")
    with CaptureQueriesContext(connection) as many:
        response = client.get(plan["base"] + "/sessions?when=all", **headers)
    assert response.json()["count"] == 12
    assert len(many) == len(few)


def test_create_session_reads_local_times_and_hostile_text(kring, plan, make_client, bearer):
    """A time without offset is Amsterdam time; a <script> title comes back as plain text and
    the agenda's HTML is sanitised."""
    response = send(
        make_client(),
        "post",
        plan["base"] + "/sessions",
        {
            "title": "<script>alert(1)</script>",
            "agenda": "1. Welkom\n2. <script>x()</script>",
            "mode": "online",
            "video_url": "https://meet.example.org/kring",
            "starts_at": "2030-06-04T19:30",
            "ends_at": "2030-06-04T21:30",
            "capacity": 12,
        },
        bearer(kring.facilitator),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "<script>alert(1)</script>"
    assert "<script" not in body["agenda_html"]
    assert body["starts_at"].startswith("2030-06-04T19:30:00+02:00")
    session = Session.objects.get(pk=body["id"])
    assert session.starts_at == local(2030, 6, 4, 19, 30)
    assert body["can_edit"] and body["capacity"] == 12


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"ends_at": "2030-06-04T18:00"}, "ends_at"),
        ({"mode": "online", "location": ""}, "video_url"),
        ({"location": ""}, "location"),
        ({"video_url": "javascript:alert(1)", "mode": "hybrid"}, "video_url"),
        ({"capacity": 0}, "capacity"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"facilitator_ids": [999999]}, "facilitator_ids"),
        ({"starts_at": "morgen"}, "starts_at"),
    ],
)
def test_create_session_bad_input(kring, plan, make_client, bearer, change, field):
    """Bad input gives 422 with the field in `errors`, and no session is saved."""
    data = {
        "title": "Extra",
        "location": "Stadhuis",
        "starts_at": "2030-06-04T19:30",
        "ends_at": "2030-06-04T21:30",
    } | change
    before = Session.objects.count()
    response = send(
        make_client(), "post", plan["base"] + "/sessions", data, bearer(kring.facilitator)
    )
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"], body
    assert Session.objects.count() == before


def test_outsider_as_facilitator_is_refused(kring, plan, make_client, bearer):
    """A facilitator who is not a member is a bad facilitator id, not a way to learn who exists."""
    response = send(
        make_client(),
        "post",
        plan["base"] + "/sessions",
        {
            "title": "Extra",
            "location": "Stadhuis",
            "starts_at": "2030-06-04T19:30",
            "ends_at": "2030-06-04T21:30",
            "facilitator_ids": [kring.anna.pk, kring.outsider.pk],
        },
        bearer(kring.facilitator),
    )
    assert "facilitator_ids" in assert_error(response, 422, "invalid")["errors"]


def test_series_default_is_six_weekly_for_eighteen_months(kring, plan, make_client, bearer):
    """Without a rhythm the series is every six weeks for eighteen months, at local time."""
    response = send(
        make_client(),
        "post",
        plan["base"] + "/series",
        {"title": "Leerkring", "location": "Buurthuis", "first_start": "2030-01-08T19:30"},
        bearer(kring.facilitator),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    starts = [s["starts_at"] for s in body["sessions"]]
    assert len(starts) == 14
    assert starts[0].startswith("2030-01-08T19:30:00+01:00")
    assert all("T19:30:00" in s for s in starts)
    assert "INTERVAL=6" in body["rrule"]


def test_series_monthly_with_count(kring, plan, make_client, bearer):
    """Monthly on the second Tuesday, five times."""
    response = send(
        make_client(),
        "post",
        plan["base"] + "/series",
        {
            "title": "Maandkring",
            "mode": "online",
            "video_url": "https://meet.example.org/x",
            "first_start": "2030-01-08T10:00",
            "monthly_nth": 2,
            "monthly_weekday": "tu",
            "count": 5,
            "duration_minutes": 90,
        },
        bearer(kring.facilitator),
    )
    assert response.status_code == 201, response.content
    days = [s["starts_at"][:10] for s in response.json()["sessions"]]
    assert days == ["2030-01-08", "2030-02-12", "2030-03-12", "2030-04-09", "2030-05-14"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"every_weeks": 2, "monthly_nth": 1, "monthly_weekday": "MO"}, "every_weeks"),
        ({"every_weeks": 0}, "every_weeks"),
        ({"count": 0}, "count"),
        ({"count": 3, "until": "2030-12-01"}, "until"),
        ({"until": "2029-01-01"}, "rrule"),
        ({"every_weeks": 1, "count": 500}, "count"),
        ({"monthly_weekday": "XX", "monthly_nth": 1}, "weekday"),
        ({"duration_minutes": 0}, "duration_minutes"),
    ],
)
def test_series_bad_input(kring, plan, make_client, bearer, change, field):
    """A bad rhythm gives 422 with the field, and no series or session is saved."""
    data = {"title": "Ritme", "location": "Stadhuis", "first_start": "2030-01-08T19:30"} | change
    before = (Series.objects.count(), Session.objects.count())
    response = send(
        make_client(), "post", plan["base"] + "/series", data, bearer(kring.facilitator)
    )
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"], body
    assert (Series.objects.count(), Session.objects.count()) == before


def test_patch_following_moves_the_rest_of_the_series(
    kring, plan, make_client, bearer, make_series
):
    """PATCH with scope=following changes this and the later sessions, not the earlier."""
    series = make_series(first_start=local(2030, 1, 8, 19, 30))
    sessions = list(series.sessions.order_by("starts_at"))
    response = send(
        make_client(),
        "patch",
        f"{plan['base']}/sessions/{sessions[2].pk}",
        {"scope": "following", "starts_at": "2030-03-19T20:00", "title": "Later"},
        bearer(kring.facilitator),
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Later"
    titles = list(
        Session.objects.filter(pk__in=[s.pk for s in sessions])
        .order_by("starts_at")
        .values_list("title", flat=True)
    )
    assert titles[:2] == ["Leerkring", "Leerkring"] and set(titles[2:]) == {"Later"}
    moved = Session.objects.get(pk=sessions[5].pk).starts_at.astimezone(AMSTERDAM)
    assert (moved.hour, moved.minute) == (20, 0)


def test_patch_bad_input_saves_nothing(kring, plan, make_client, bearer):
    """A bad scope or an end before the start is 422 and the session stays as it was."""
    session = plan["upcoming"]
    client, headers = make_client(), bearer(kring.facilitator)
    for data, field in [
        ({"scope": "everything", "title": "Nee"}, "scope"),
        ({"title": "Nee", "ends_at": session.starts_at.isoformat()}, "ends_at"),
        ({"title": "   "}, "title"),
    ]:
        response = send(client, "patch", f"{plan['base']}/sessions/{session.pk}", data, headers)
        assert field in assert_error(response, 422, "invalid")["errors"]
    assert Session.objects.get(pk=session.pk).title == "Volgende keer"


def test_cancel_and_restore(kring, plan, make_client, bearer):
    """A facilitator cancels with a reason (RSVPs are kept) and can undo it."""
    session = plan["upcoming"]
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    client, headers = make_client(), bearer(kring.facilitator)
    body = send(
        client, "post", f"{plan['base']}/sessions/{session.pk}/cancel", {"reason": "Ziek"}, headers
    ).json()
    assert body["status"] == SessionStatus.CANCELLED and body["cancel_reason"] == "Ziek"
    # Anna's, and the planner's.
    assert Rsvp.objects.filter(session=session).count() == 2
    bad = send(
        client, "post", f"{plan['base']}/sessions/{session.pk}/cancel", {"scope": "x"}, headers
    )
    assert_error(bad, 422, "invalid")
    restored = send(client, "post", f"{plan['base']}/sessions/{session.pk}/restore", {}, headers)
    assert restored.json()["status"] == SessionStatus.SCHEDULED
    member = send(
        make_client(),
        "post",
        f"{plan['base']}/sessions/{session.pk}/restore",
        {},
        bearer(kring.anna),
    )
    assert_error(member, 403, "forbidden")


def test_a_past_session_cannot_be_cancelled(kring, plan, make_client, bearer):
    """Cancelling a session that took place is 422 with a plain reason; nothing changes."""
    session = plan["past"]
    response = send(
        make_client(),
        "post",
        f"{plan['base']}/sessions/{session.pk}/cancel",
        {"reason": "Te laat"},
        bearer(kring.facilitator),
    )
    body = assert_error(response, 422, "invalid")
    assert "already started or taken place" in body["detail"]
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


# --- RSVP -----------------------------------------------------------------------------------


def test_rsvp_waiting_list_through_the_api(kring, plan, make_client, bearer, make_member):
    """With two places the third "yes" waits; when someone says no, the first waiting moves up;
    more places take the rest of the waiting list."""
    session = plan["upcoming"]
    path = f"{plan['base']}/sessions/{session.pk}/rsvp"
    carla = make_member(kring.community, full_name="Carla Member").user
    client = make_client()
    # Fenna planned it (so she was coming); she gives her place up.
    services_rsvp.rsvp_set(session=session, user=kring.facilitator, response="no")

    def rsvp(user, response, note=""):
        return send(client, "put", path, {"response": response, "note": note}, bearer(user))

    assert rsvp(kring.anna, "yes").json()["waitlisted"] is False
    assert rsvp(kring.bram, "yes").json()["waitlisted"] is False
    third = rsvp(kring.guest, "yes", "Als er plek is")
    assert third.status_code == 200 and third.json()["waitlisted"] is True
    assert rsvp(carla, "yes").json()["waitlisted"] is True

    groups = client.get(f"{plan['base']}/sessions/{session.pk}/rsvps", **bearer(kring.anna)).json()
    assert [r["person"]["name"] for r in groups["going"]] == ["Anna Member", "Bram Member"]
    assert [r["person"]["name"] for r in groups["waiting"]] == ["Gijs Guest", "Carla Member"]
    assert groups["waiting"][0]["note"] == "Als er plek is"

    assert rsvp(kring.anna, "no").json()["waitlisted"] is False
    assert Rsvp.objects.get(session=session, user=kring.guest).waitlisted is False
    assert Rsvp.objects.get(session=session, user=carla).waitlisted is True
    detail = client.get(f"{plan['base']}/sessions/{session.pk}", **bearer(carla)).json()
    assert detail["going_count"] == 2 and detail["waiting_count"] == 1
    assert detail["my_rsvp"]["waitlisted"] is True

    send(
        client,
        "patch",
        f"{plan['base']}/sessions/{session.pk}",
        {"capacity": None},
        bearer(kring.facilitator),
    )
    assert Rsvp.objects.get(session=session, user=carla).waitlisted is False


def test_rsvp_bad_input_and_closed_sessions(kring, plan, make_client, bearer):
    """An unknown answer or an oversized note is 422 and saves nothing; a past or cancelled
    session takes no RSVPs (403)."""
    client, headers = make_client(), bearer(kring.anna)
    base = plan["base"]
    for data, field in [
        ({"response": "perhaps"}, "response"),
        ({"response": "yes", "note": "x" * 301}, "note"),
        ({"note": "geen antwoord"}, "response"),
    ]:
        response = send(client, "put", f"{base}/sessions/{plan['upcoming'].pk}/rsvp", data, headers)
        assert field in assert_error(response, 422, "invalid")["errors"]
    past = send(
        client, "put", f"{base}/sessions/{plan['past'].pk}/rsvp", {"response": "yes"}, headers
    )
    assert_error(past, 403, "forbidden")
    services.session_cancel(session=plan["upcoming"], by=kring.facilitator)
    cancelled = send(
        client, "put", f"{base}/sessions/{plan['upcoming'].pk}/rsvp", {"response": "yes"}, headers
    )
    assert_error(cancelled, 403, "forbidden")
    assert not Rsvp.objects.filter(user=kring.anna).exists()


# --- Attendance -----------------------------------------------------------------------------


def test_attendance_put_and_get_by_a_facilitator(kring, plan, make_client, bearer):
    """The facilitator registers several people at once, removes one with null, and reads the
    sheet back with everyone's RSVP; attendance writes activity events."""
    from kring.core.models import ActivityEvent, Verb

    path = f"{plan['base']}/sessions/{plan['past'].pk}/attendance"
    client, headers = make_client(), bearer(kring.facilitator)
    response = send(
        client,
        "put",
        path,
        [
            {"user_id": kring.anna.pk, "status": "attended"},
            {"user_id": kring.bram.pk, "status": "excused"},
            {"user_id": kring.guest.pk, "status": "absent"},
        ],
        headers,
    )
    assert response.status_code == 200, response.content
    sheet = {row["person"]["name"]: row["status"] for row in response.json()}
    assert sheet["Anna Member"] == "attended" and sheet["Bram Member"] == "excused"
    assert sheet["Fenna Facilitator"] is None
    assert ActivityEvent.objects.filter(verb=Verb.ATTENDED, actor=kring.anna).exists()
    send(client, "put", path, [{"user_id": kring.guest.pk, "status": None}], headers)
    rows = {row["person"]["name"]: row["status"] for row in client.get(path, **headers).json()}
    assert rows["Gijs Guest"] is None and rows["Anna Member"] == "attended"


def test_attendance_put_by_a_member_is_forbidden(kring, plan, make_client, bearer):
    """A member may not register attendance, not even their own: 403, nothing saved."""
    response = send(
        make_client(),
        "put",
        f"{plan['base']}/sessions/{plan['past'].pk}/attendance",
        [{"user_id": kring.anna.pk, "status": "attended"}],
        bearer(kring.anna),
    )
    assert_error(response, 403, "forbidden")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "rows, field",
    [
        ([{"user_id": 1, "status": "present"}], "1.status"),
        ([{"user_id": "outsider", "status": "attended"}], "user_id"),
        ([{"user_id": "anna"}], "1.status"),
        ({"user_id": "anna", "status": "attended"}, "__all__"),
    ],
)
def test_attendance_bad_input_saves_nothing(kring, plan, make_client, bearer, rows, field):
    """One bad row (unknown status, an outsider, a missing field) is 422 and no row is saved,
    not even the good one before it."""
    good = {"user_id": kring.bram.pk, "status": "attended"}
    if isinstance(rows, list):
        rows = [
            {
                k: (getattr(kring, v).pk if k == "user_id" and isinstance(v, str) else v)
                for k, v in row.items()
            }
            for row in rows
        ]
        for row in rows:
            row.setdefault("user_id", kring.anna.pk)
        rows = [good, *rows]
    response = send(
        make_client(),
        "put",
        f"{plan['base']}/sessions/{plan['past'].pk}/attendance",
        rows,
        bearer(kring.facilitator),
    )
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"], body
    assert not Attendance.objects.exists()


# --- Action points --------------------------------------------------------------------------


def test_action_points_create_list_change_and_done(kring, plan, make_client, bearer):
    """Made at a session with an owner and a date; listed open, by owner; changed; done moves
    it to the done list."""
    client = make_client()
    base = plan["base"]
    response = send(
        client,
        "post",
        f"{base}/action-points",
        {
            "what": "Huurders uitnodigen",
            "owner_id": kring.bram.pk,
            "due_date": "2020-01-01",
            "session_id": plan["past"].pk,
        },
        bearer(kring.anna),
    )
    assert response.status_code == 201, response.content
    point = response.json()
    assert point["owner"]["name"] == "Bram Member" and point["session_id"] == plan["past"].pk
    assert point["overdue"] is True and point["can_edit"] is True

    mine = client.get(f"{base}/action-points", {"owner": "me"}, **bearer(kring.bram)).json()
    assert [p["what"] for p in mine["items"]] == ["Huurders uitnodigen"]
    assert client.get(f"{base}/action-points", **bearer(kring.bram)).json()["count"] == 2

    changed = send(
        client,
        "patch",
        f"{base}/action-points/{point['id']}",
        {"due_date": None, "what": "Huurders en buren uitnodigen"},
        bearer(kring.bram),
    ).json()
    assert changed["due_date"] is None and changed["owner"]["name"] == "Bram Member"
    assert changed["what"] == "Huurders en buren uitnodigen"

    done = client.post(f"{base}/action-points/{point['id']}/done", **bearer(kring.bram))
    assert done.json()["done"] is True and done.json()["done_by"]["name"] == "Bram Member"
    listed = client.get(f"{base}/action-points", {"state": "done"}, **bearer(kring.anna)).json()
    assert [p["id"] for p in listed["items"]] == [point["id"]]
    reopened = client.delete(
        f"{base}/action-points/{point['id']}/done", **bearer(kring.facilitator)
    )
    assert reopened.json()["done"] is False


@pytest.mark.parametrize(
    "data, field",
    [
        ({"what": ""}, "what"),
        ({"what": "x" * 301}, "what"),
        ({"what": "Bellen", "owner_id": "outsider"}, "owner_id"),
        ({"what": "Bellen", "due_date": "volgende week"}, "due_date"),
        ({"what": "Bellen", "session_id": 999999}, "session_id"),
        ({}, "what"),
    ],
)
def test_action_point_bad_input_saves_nothing(kring, plan, make_client, bearer, data, field):
    """422 with the field, and no action point is made."""
    if data.get("owner_id") == "outsider":
        data = data | {"owner_id": kring.outsider.pk}
    before = ActionPoint.objects.count()
    response = send(
        make_client(), "post", f"{plan['base']}/action-points", data, bearer(kring.anna)
    )
    assert field in assert_error(response, 422, "invalid")["errors"]
    assert ActionPoint.objects.count() == before


def test_action_point_list_filters_are_checked(kring, plan, make_client, bearer):
    """An unknown state or an owner outside the community is 422."""
    client, headers = make_client(), bearer(kring.anna)
    for params, field in [
        ({"state": "later"}, "state"),
        ({"owner": str(kring.outsider.pk)}, "owner"),
        ({"owner": "iemand"}, "owner"),
    ]:
        response = client.get(f"{plan['base']}/action-points", params, **headers)
        assert field in assert_error(response, 422, "invalid")["errors"]


def test_action_point_delete_by_its_maker(kring, plan, make_client, bearer):
    """The maker deletes it (204); another member gets 403."""
    path = f"{plan['base']}/action-points/{plan['point'].pk}"
    assert_error(make_client().delete(path, **bearer(kring.bram)), 403, "forbidden")
    assert make_client().delete(path, **bearer(kring.anna)).status_code == 204
    assert not ActionPoint.objects.filter(pk=plan["point"].pk).exists()


def test_today_due_is_not_overdue(kring, plan, make_client, bearer):
    """An action point due today is not overdue yet."""
    services_learning.action_point_update(
        point=plan["point"],
        by=kring.anna,
        what="Vandaag",
        owner=kring.anna,
        due_date=date.today(),
    )
    items = make_client().get(f"{plan['base']}/action-points", **bearer(kring.anna)).json()
    assert items["items"][0]["overdue"] is False
