"""The web pages for sessions: who may do what, planning a series through the form, editing
this or the following sessions, cancelling, RSVPs with a waiting list, the attendance
checklist, and bad and hostile input."""

from datetime import time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.meetings import services, services_rsvp
from kring.meetings.models import Attendance, Rsvp, Series, Session, SessionStatus
from kring.meetings.tests.conftest import AMSTERDAM


def url(name, session=None, *, slug=None, **kw):
    if session is not None:
        return reverse(name, kwargs={"slug": session.community.slug, "pk": session.pk, **kw})
    return reverse(name, kwargs={"slug": slug, **kw})


@pytest.fixture
def people(kring, make_admin):
    """Everyone who may come knocking, by name."""
    return {
        "facilitator": kring.facilitator,
        "member": kring.anna,
        "guest": kring.guest,
        "outsider": kring.outsider,
        "admin": make_admin(full_name="Ada Admin", language="en"),
    }


@pytest.fixture
def series(make_series):
    """A six-weekly series starting in a month, in person."""
    start = timezone.localtime(timezone.now() + timedelta(days=30), AMSTERDAM).replace(
        hour=19, minute=30, second=0, microsecond=0
    )
    return make_series(first_start=start, agenda="Kennismaken")


def _sessions(series) -> list[Session]:
    return list(Session.objects.filter(pk__in=series.sessions.values("pk")).order_by("starts_at"))


def _first_date():
    return timezone.localdate() + timedelta(days=30)


def series_data(**changes) -> dict:
    first = _first_date()
    data = {
        "title": "Leerkring wijkzorg",
        "date": first.isoformat(),
        "start_time": "19:30",
        "end_time": "21:30",
        "tz": "Europe/Amsterdam",
        "rhythm": "weeks",
        "every_weeks": "6",
        "nth": "1",
        "weekday": "",
        "ends": "until",
        "until": (first + relativedelta(months=18)).isoformat(),
        "count": "",
        "mode": "offline",
        "location": "Buurthuis De Spreeuw, Dorpsstraat 1",
        "video_url": "",
        "capacity": "",
        "agenda": "",
    }
    data.update(changes)
    return data


def session_data(**changes) -> dict:
    data = series_data()
    for name in ("rhythm", "every_weeks", "nth", "weekday", "ends", "until", "count"):
        data.pop(name)
    data["title"] = "Extra bijeenkomst"
    data.update(changes)
    return data


def update_data(session, **changes) -> dict:
    local = timezone.localtime(session.starts_at, AMSTERDAM)
    end = timezone.localtime(session.ends_at, AMSTERDAM)
    data = {
        "title": session.title,
        "date": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "mode": session.mode,
        "location": session.location,
        "video_url": session.video_url,
        "capacity": session.capacity or "",
        "agenda": session.agenda,
        "facilitators": [p.pk for p in session.facilitators.all()],
        "scope": "this",
    }
    if session.is_reflection:
        data["is_reflection"] = "on"
    data.update(changes)
    return data


# --- Permission table ------------------------------------------------------------------------

GET_TABLE = [
    # (view, person, status)
    *[("session-list", who, 200) for who in ("guest", "member", "facilitator", "admin")],
    ("session-list", "outsider", 404),
    *[("session-detail", who, 200) for who in ("guest", "member", "facilitator", "admin")],
    ("session-detail", "outsider", 404),
    *[
        (view, who, status)
        for view in (
            "series-create",
            "session-create",
            "session-update",
            "session-cancel",
            "session-attendance",
        )
        for who, status in (
            ("outsider", 404),
            ("guest", 403),
            ("member", 403),
            ("facilitator", 200),
            ("admin", 200),
        )
    ],
]
WITH_SESSION = {"session-detail", "session-update", "session-cancel", "session-attendance"}


@pytest.mark.parametrize(("view", "who", "status"), GET_TABLE)
def test_get_permissions(view, who, status, people, series, make_client):
    """Each page answers the right people and refuses the others (outsiders get 404)."""
    session = _sessions(series)[0]
    target = url(view, session) if view in WITH_SESSION else url(view, slug=session.community.slug)
    assert make_client(people[who]).get(target).status_code == status


@pytest.mark.parametrize(
    "view",
    [
        "session-list",
        "series-create",
        "session-create",
        "session-detail",
        "session-update",
        "session-cancel",
        "session-attendance",
        "session-rsvp",
        "session-restore",
        "session-materials",
    ],
)
def test_anonymous_visitor_is_sent_to_login(view, series, client):
    """Someone not logged in is sent to the login page, for every sessions URL."""
    session = _sessions(series)[0]
    target = (
        url(view, slug=session.community.slug)
        if view in ("session-list", "series-create", "session-create")
        else url(view, session)
    )
    response = client.get(target) if view not in ("session-rsvp",) else client.post(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


POST_TABLE = [
    # (view, person, status)
    ("session-rsvp", "outsider", 404),
    ("session-rsvp", "guest", 302),
    ("session-rsvp", "member", 302),
    ("session-rsvp", "facilitator", 302),
    ("session-rsvp", "admin", 403),
    ("session-restore", "outsider", 404),
    ("session-restore", "guest", 403),
    ("session-restore", "member", 403),
    ("session-restore", "facilitator", 302),
    ("session-restore", "admin", 302),
    ("session-materials", "outsider", 404),
    ("session-materials", "guest", 403),
    ("session-materials", "member", 403),
    ("session-materials", "facilitator", 302),
    ("session-materials", "admin", 302),
]


@pytest.mark.parametrize(("view", "who", "status"), POST_TABLE)
def test_post_permissions(view, who, status, people, series, kring, make_client):
    """RSVP is for members (guests too); restoring and materials are for facilitators."""
    session = _sessions(series)[0]
    if view == "session-restore":
        services.session_cancel(session=session, by=kring.facilitator)
    response = make_client(people[who]).post(url(view, session), {"response": "yes"})
    assert response.status_code == status
    if view == "session-rsvp":
        answered = Rsvp.objects.filter(session=session, user=people[who]).exists()
        assert answered == (status == 302)
    if view == "session-restore":
        session.refresh_from_db()
        assert (session.status == SessionStatus.SCHEDULED) == (status == 302)


def test_guessed_session_id_from_another_community_gives_404(
    series, kring, make_community, make_client
):
    """A session of another community can't be reached through this community's URL."""
    other = make_community(name="Elders")
    session = _sessions(series)[0]
    their_facilitator = make_client(other.memberships.first().user)
    for view in ("session-detail", "session-update", "session-attendance"):
        wrong = reverse(view, kwargs={"slug": other.slug, "pk": session.pk})
        assert their_facilitator.get(wrong).status_code == 404


def test_header_has_a_sessions_tab(series, kring, make_client):
    """The community header links to the sessions page, marked current there."""
    response = make_client(kring.anna).get(url("session-list", slug=kring.community.slug))
    assert 'aria-current="page">Sessions</a>' in response.content.decode()


# --- Planning --------------------------------------------------------------------------------


def test_facilitator_plans_the_default_series(kring, make_client):
    """The defaults make every six weeks for 18 months: 14 sessions, six weeks apart."""
    client = make_client(kring.facilitator)
    response = client.post(url("series-create", slug=kring.community.slug), series_data())
    assert response.status_code == 302
    series = Series.objects.get()
    sessions = _sessions(series)
    assert len(sessions) == 14
    local = [timezone.localtime(s.starts_at, AMSTERDAM) for s in sessions]
    assert all(t.time() == time(19, 30) for t in local)
    assert all((b.date() - a.date()).days == 42 for a, b in zip(local, local[1:], strict=False))
    assert sessions[0].ends_at - sessions[0].starts_at == timedelta(hours=2)
    assert list(sessions[0].facilitators.all()) == [kring.facilitator]


def test_series_form_is_prefilled_with_the_method(kring, make_client):
    """The form proposes every six weeks until 18 months after the first date."""
    response = make_client(kring.facilitator).get(url("series-create", slug=kring.community.slug))
    form = response.context["form"]
    assert form["every_weeks"].value() == 6
    assert form["until"].value() == form["date"].value() + relativedelta(months=18)
    assert form["tz"].value() == "Europe/Amsterdam"


def test_preview_counts_the_sessions_and_saves_nothing(kring, make_client):
    """'Show how many sessions' says how many and when the last is, and plans nothing."""
    client = make_client(kring.facilitator)
    response = client.post(
        url("series-create", slug=kring.community.slug), series_data(preview="1")
    )
    assert response.status_code == 200
    assert "This makes 14 sessions, the last on" in response.content.decode()
    assert not Series.objects.exists()
    assert not Session.objects.exists()


def test_monthly_series_after_a_number_of_sessions(kring, make_client):
    """Monthly on the second Tuesday, six times."""
    client = make_client(kring.facilitator)
    data = series_data(rhythm="monthly", nth="2", weekday="TU", ends="count", count="6")
    assert client.post(url("series-create", slug=kring.community.slug), data).status_code == 302
    sessions = _sessions(Series.objects.get())
    assert len(sessions) == 6
    for s in sessions:
        local = timezone.localtime(s.starts_at, AMSTERDAM)
        assert local.weekday() == 1
        assert 8 <= local.day <= 14


def test_facilitator_plans_one_online_session(kring, make_client):
    """A single online session with a video link and places; the page shows it."""
    client = make_client(kring.facilitator)
    data = session_data(
        mode="online", location="", video_url="https://meet.example.org/kring", capacity="12"
    )
    response = client.post(url("session-create", slug=kring.community.slug), data)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.series is None
    assert session.capacity == 12
    page = client.get(session.get_absolute_url()).content.decode()
    assert "https://meet.example.org/kring" in page


BAD_SERIES = [
    ({"end_time": "18:00"}, "end_time", "The session must end after it starts."),
    ({"every_weeks": "0"}, "every_weeks", "Choose every 1 to 52 weeks."),
    ({"every_weeks": "abc"}, "every_weeks", "Choose every 1 to 52 weeks."),
    ({"rhythm": "fortnightly"}, "rhythm", "Select a valid choice."),
    ({"location": ""}, "location", "A session in person needs an address."),
    ({"title": "x" * 201}, "title", "Keep the title to 200 characters."),
    ({"title": "   "}, "title", "Give the session a title."),
    ({"mode": "hybrid"}, "video_url", "An online or hybrid session needs a video link."),
    ({"ends": "count", "count": "500"}, "count", "At most 200 sessions."),
    ({"every_weeks": "1", "until": "2099-01-01"}, "ends", "more than 200 sessions"),
    ({"until": "2000-01-01"}, "until", "The last date comes after the first."),
    ({"date": "31-31-2027"}, "date", "Enter a date."),
    ({"tz": "Mars/Olympus"}, "tz", "Select a valid choice."),
    ({"capacity": "0"}, "capacity", "Give a number of places from 1, or leave it empty."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_SERIES)
def test_bad_series_input_is_refused(changes, field, message, kring, make_client):
    """Bad input: the message stands next to its field, what was typed stays, nothing is saved."""
    client = make_client(kring.facilitator)
    response = client.post(url("series-create", slug=kring.community.slug), series_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert 'class="field field-error"' in response.content.decode()
    assert form["title"].value() == series_data(**changes)["title"]
    assert not Series.objects.exists()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "19:00"}, "end_time", "The session must end after it starts."),
        ({"location": ""}, "location", "A session in person needs an address."),
        ({"title": "y" * 300}, "title", "Keep the title to 200 characters."),
        ({"mode": "online", "video_url": "javascript:alert(1)"}, "video_url", "https://"),
    ],
)
def test_bad_single_session_input_is_refused(changes, field, message, kring, make_client):
    """A single session with bad input is not planned; the message is next to the field."""
    client = make_client(kring.facilitator)
    response = client.post(
        url("session-create", slug=kring.community.slug), session_data(**changes)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Session.objects.exists()


# --- Editing this or the following sessions --------------------------------------------------


def test_move_only_this_session_keeps_its_rsvps(series, kring, make_client):
    """'Only this session': one session moves (marked as moved), the others stay, RSVPs stay."""
    sessions = _sessions(series)
    target = sessions[2]
    services_rsvp.rsvp_set(session=target, user=kring.anna, response="yes")
    client = make_client(kring.facilitator)
    response = client.post(
        url("session-update", target), update_data(target, start_time="20:00", end_time="22:00")
    )
    assert response.status_code == 302
    after = {s.pk: s for s in _sessions(series)} | {
        s.pk: s for s in Session.objects.filter(pk=target.pk)
    }
    moved = after[target.pk]
    assert timezone.localtime(moved.starts_at, AMSTERDAM).time() == time(20, 0)
    assert moved.is_moved
    for other in (sessions[1], sessions[3]):
        assert Session.objects.get(pk=other.pk).starts_at == other.starts_at
    assert Rsvp.objects.filter(session=target, user=kring.anna).exists()
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Moved from" in page


def test_move_this_and_following_sessions(series, kring, make_client):
    """'This and the following': this one and all later ones move; earlier ones stay."""
    sessions = _sessions(series)
    client = make_client(kring.facilitator)
    data = update_data(sessions[3], start_time="18:00", end_time="20:00", scope="following")
    assert client.post(url("session-update", sessions[3]), data).status_code == 302
    for n, before in enumerate(sessions):
        now = Session.objects.get(pk=before.pk)
        local = timezone.localtime(now.starts_at, AMSTERDAM).time()
        assert local == (time(18, 0) if n >= 3 else time(19, 30))


def test_title_for_following_leaves_their_own_agendas(series, kring, make_client):
    """Changing only the title for the following sessions does not copy this agenda onto them."""
    sessions = _sessions(series)
    services.session_update(session=sessions[4], by=kring.facilitator, agenda="Eigen agenda")
    client = make_client(kring.facilitator)
    data = update_data(sessions[2], title="Leerkring zorg", scope="following")
    assert client.post(url("session-update", sessions[2]), data).status_code == 302
    assert Session.objects.get(pk=sessions[1].pk).title == "Leerkring"
    assert Session.objects.get(pk=sessions[3].pk).title == "Leerkring zorg"
    fifth = Session.objects.get(pk=sessions[4].pk)
    assert (fifth.title, fifth.agenda) == ("Leerkring zorg", "Eigen agenda")


def test_update_form_offers_the_scope_only_in_a_series(series, make_session, kring, make_client):
    """A session in a series asks 'this or following'; a single session doesn't."""
    client = make_client(kring.facilitator)
    in_series = client.get(url("session-update", _sessions(series)[0])).content.decode()
    single = client.get(url("session-update", make_session())).content.decode()
    assert "This and the following sessions" in in_series
    assert "This and the following sessions" not in single


def test_bad_update_saves_nothing(series, kring, make_client):
    """An end before the start: the message is shown and the session is unchanged."""
    session = _sessions(series)[0]
    client = make_client(kring.facilitator)
    response = client.post(
        url("session-update", session),
        update_data(session, end_time="10:00", title="Nieuwe titel"),
    )
    assert response.status_code == 200
    assert "The session must end after it starts." in response.content.decode()
    fresh = Session.objects.get(pk=session.pk)
    assert (fresh.title, fresh.ends_at) == (session.title, session.ends_at)


def test_raising_the_places_admits_the_waiting_list(make_session, kring, make_client):
    """More places through the edit form give the first person waiting a place."""
    # Two places: Fenna, who planned it, holds one.
    session = make_session(capacity=2)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="yes")
    assert Rsvp.objects.get(session=session, user=kring.bram).waitlisted
    client = make_client(kring.facilitator)
    response = client.post(url("session-update", session), update_data(session, capacity="3"))
    assert response.status_code == 302
    assert not Rsvp.objects.get(session=session, user=kring.bram).waitlisted


# --- Cancelling ------------------------------------------------------------------------------


def test_cancel_this_and_following_with_a_reason(series, kring, make_client):
    """Cancelling from the fourth session on marks those cancelled, with the reason shown."""
    sessions = _sessions(series)
    client = make_client(kring.facilitator)
    response = client.post(
        url("session-cancel", sessions[3]), {"reason": "De subsidie stopt", "scope": "following"}
    )
    assert response.status_code == 302
    statuses = [Session.objects.get(pk=s.pk).status for s in sessions]
    assert statuses[:3] == [SessionStatus.SCHEDULED] * 3
    assert set(statuses[3:]) == {SessionStatus.CANCELLED}
    page = make_client(kring.anna).get(sessions[5].get_absolute_url()).content.decode()
    assert "This session is cancelled." in page
    assert "De subsidie stopt" in page


def test_cancel_only_this_one_and_restore_it(series, kring, make_client):
    """One session is cancelled and restored; the list marks it while it is cancelled."""
    sessions = _sessions(series)
    client = make_client(kring.facilitator)
    client.post(url("session-cancel", sessions[1]), {"reason": "", "scope": "this"})
    assert Session.objects.filter(status=SessionStatus.CANCELLED).count() == 1
    listing = client.get(url("session-list", slug=kring.community.slug)).content.decode()
    assert "badge-cancelled" in listing
    assert client.post(url("session-restore", sessions[1])).status_code == 302
    assert not Session.objects.filter(status=SessionStatus.CANCELLED).exists()


def test_cancel_reason_too_long_saves_nothing(series, kring, make_client):
    """A reason over 300 characters is refused next to the field."""
    session = _sessions(series)[0]
    response = make_client(kring.facilitator).post(
        url("session-cancel", session), {"reason": "z" * 301, "scope": "this"}
    )
    assert response.status_code == 200
    assert "Keep the reason to 300 characters." in response.content.decode()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_restore_needs_post(series, kring, make_client):
    """GET on restore changes nothing."""
    session = _sessions(series)[0]
    assert make_client(kring.facilitator).get(url("session-restore", session)).status_code == 405


# --- RSVP ------------------------------------------------------------------------------------


def test_rsvp_with_htmx_returns_the_box_and_a_waiting_list(make_session, kring, make_client):
    """Anna gets the last place, Bram's yes waits; when Anna says no, Bram moves up."""
    # Two places: Fenna, who planned it, holds one.
    session = make_session(capacity=2)
    anna, bram = make_client(kring.anna), make_client(kring.bram)
    target = url("session-rsvp", session)
    first = anna.post(target, {"response": "yes", "note": ""}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert 'id="rsvp-box"' in first.content.decode()
    assert "<html" not in first.content.decode()
    assert "You are coming." in first.content.decode()
    # "Who's coming" beside the box is updated too.
    assert 'id="session-people"' in first.content.decode()
    assert 'hx-swap-oob="true"' in first.content.decode()
    second = bram.post(target, {"response": "yes"}, HTTP_HX_REQUEST="true")
    assert "you are number 1 on the waiting list" in second.content.decode()
    assert Rsvp.objects.get(session=session, user=kring.bram).waitlisted
    page = make_client(kring.guest).get(session.get_absolute_url()).content.decode()
    assert "The session is full. If you say yes, you join the waiting list." in page
    assert "Waiting list" in page
    anna.post(target, {"response": "no"}, HTTP_HX_REQUEST="true")
    assert not Rsvp.objects.get(session=session, user=kring.bram).waitlisted


def test_rsvp_without_javascript_redirects_to_the_session(make_session, kring, make_client):
    """A plain form post saves the answer and goes back to the session page."""
    session = make_session()
    response = make_client(kring.anna).post(
        url("session-rsvp", session), {"response": "maybe", "note": "Iets later"}
    )
    assert response.status_code == 302
    rsvp = Rsvp.objects.get(session=session, user=kring.anna)
    assert (rsvp.response, rsvp.note) == ("maybe", "Iets later")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"response": "perhaps"}, "Choose coming, maybe or not coming."),
        ({}, "Choose coming, maybe or not coming."),
        ({"response": "yes", "note": "n" * 301}, "Keep the note to 300 characters."),
    ],
)
def test_bad_rsvp_is_refused(data, message, make_session, kring, make_client):
    """A bad answer or an oversized note: the message in the box, nothing saved."""
    session = make_session()
    response = make_client(kring.anna).post(
        url("session-rsvp", session), data, HTTP_HX_REQUEST="true"
    )
    assert message in response.content.decode()
    assert not Rsvp.objects.filter(user=kring.anna).exists()


def test_no_rsvp_to_a_cancelled_session(make_session, kring, make_client):
    """A cancelled session takes no answers."""
    session = make_session()
    services.session_cancel(session=session, by=kring.facilitator)
    response = make_client(kring.anna).post(url("session-rsvp", session), {"response": "yes"})
    assert response.status_code == 403
    assert not Rsvp.objects.filter(user=kring.anna).exists()


def test_rsvp_requires_post(make_session, kring, make_client):
    """GET on the RSVP address changes nothing."""
    session = make_session()
    assert make_client(kring.anna).get(url("session-rsvp", session)).status_code == 405


# --- Attendance ------------------------------------------------------------------------------


@pytest.fixture
def past_session(make_session):
    return make_session(starts_at=timezone.now() - timedelta(days=2))


def test_attendance_checklist_lists_members_with_their_answer(make_session, kring, make_client):
    """The checklist shows every member and what they answered."""
    session = make_session()
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="maybe")
    # The session has taken place since.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    response = make_client(kring.facilitator).get(url("session-attendance", session))
    page = response.content.decode()
    for person in (kring.anna, kring.bram, kring.guest, kring.facilitator):
        assert person.full_name in page
    assert kring.outsider.full_name not in page
    assert response.context["rows"][0]["user"] == kring.anna
    assert response.context["rows"][0]["rsvp"] == "maybe"


def test_attendance_row_saved_with_htmx(past_session, kring, make_client):
    """One row posted by htmx is saved and comes back as that row only."""
    client = make_client(kring.facilitator)
    response = client.post(
        url("session-attendance", past_session),
        {"user": kring.anna.pk, f"status-{kring.anna.pk}": "attended"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert f'id="attendance-{kring.anna.pk}"' in body
    assert Attendance.objects.get(session=past_session, user=kring.anna).status == "attended"
    client.post(
        url("session-attendance", past_session),
        {"user": kring.anna.pk, f"status-{kring.anna.pk}": ""},
        HTTP_HX_REQUEST="true",
    )
    assert not Attendance.objects.filter(session=past_session).exists()


def test_attendance_all_rows_with_a_plain_post(past_session, kring, make_client):
    """Without JavaScript, the whole checklist is saved at once."""
    data = {
        f"status-{kring.anna.pk}": "attended",
        f"status-{kring.bram.pk}": "excused",
        f"status-{kring.guest.pk}": "absent",
        f"status-{kring.facilitator.pk}": "",
    }
    response = make_client(kring.facilitator).post(url("session-attendance", past_session), data)
    assert response.status_code == 302
    saved = dict(Attendance.objects.filter(session=past_session).values_list("user_id", "status"))
    assert saved == {kring.anna.pk: "attended", kring.bram.pk: "excused", kring.guest.pk: "absent"}


def test_bad_attendance_status_saves_nothing(past_session, kring, make_client):
    """An unknown status in one row: nothing of the whole form is saved."""
    data = {f"status-{kring.anna.pk}": "attended", f"status-{kring.bram.pk}": "sleeping"}
    client = make_client(kring.facilitator)
    response = client.post(url("session-attendance", past_session), data)
    assert response.status_code == 400
    assert "Bram Member: choose attended, absent or excused." in response.content.decode()
    htmx = client.post(
        url("session-attendance", past_session),
        {"user": kring.bram.pk, f"status-{kring.bram.pk}": "<b>x</b>"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_attendance_for_someone_outside_the_community_gives_404(
    who, past_session, people, kring, make_client
):
    """Only members of the community can be ticked off."""
    response = make_client(kring.facilitator).post(
        url("session-attendance", past_session),
        {"user": people[who].pk, f"status-{people[who].pk}": "attended"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["member", "guest"])
def test_members_cannot_register_attendance(who, past_session, people, kring, make_client):
    """Members and guests can't post attendance."""
    response = make_client(people[who]).post(
        url("session-attendance", past_session),
        {"user": kring.anna.pk, f"status-{kring.anna.pk}": "attended"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


# --- Hostile input and what the pages show ---------------------------------------------------


def test_hostile_input_is_shown_as_text(make_session, kring, make_client):
    """Script in a title, address, agenda, note or cancel reason is escaped or stripped."""
    evil = "<script>alert('x')</script>"
    session = make_session(title=evil, location=evil, agenda=f"Hallo {evil} **vet**")
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes", note=evil)
    pages = [
        make_client(kring.bram).get(session.get_absolute_url()).content.decode(),
        make_client(kring.bram)
        .get(url("session-list", slug=kring.community.slug))
        .content.decode(),
    ]
    services.session_cancel(session=session, by=kring.facilitator, reason=evil)
    pages.append(make_client(kring.bram).get(session.get_absolute_url()).content.decode())
    for page in pages:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<strong>vet</strong>" in pages[0]


def test_session_page_shows_who_is_coming_and_materials(
    make_session, kring, make_client, make_perspective_item
):
    """Who's coming with perspectives, and linked library items with their links."""
    perspective, item = make_perspective_item(kring)
    kring.anna.perspectives.add(perspective)
    session = make_session(capacity=5)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="maybe")
    client = make_client(kring.facilitator)
    response = client.post(url("session-materials", session), {"items": [item.pk]})
    assert response.status_code == 302
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Anna Member" in page and "Bram Member" in page
    assert perspective.name in page
    assert item.get_absolute_url() in page
    # Five places: Fenna (who planned it) and Anna hold two.
    assert "3 places left" in page


def test_materials_from_another_community_are_refused(
    make_session, kring, make_client, make_community, make_perspective_item
):
    """A library item of another community can't be linked."""
    other = make_community(name="Elders")
    _perspective, item = make_perspective_item(SimpleCommunity(other))
    session = make_session()
    make_client(kring.facilitator).post(url("session-materials", session), {"items": [item.pk]})
    assert not session.materials.exists()


def test_video_link_only_for_members(make_session, kring, people, make_client):
    """Members (guests too) see the video link; outsiders don't reach the page at all."""
    session = make_session(mode="hybrid", video_url="https://meet.example.org/geheim")
    guest_page = make_client(kring.guest).get(session.get_absolute_url())
    assert "meet.example.org/geheim" in guest_page.content.decode()
    outsider_page = make_client(kring.outsider).get(session.get_absolute_url())
    assert outsider_page.status_code == 404
    assert b"meet.example.org/geheim" not in outsider_page.content


def test_list_shows_upcoming_and_past_with_my_answer(make_session, kring, make_client):
    """Upcoming and past tabs; my own answer, the going count and places are shown."""
    coming = make_session(title="Volgende keer", capacity=10)
    make_session(title="Vorige keer", starts_at=timezone.now() - timedelta(days=10))
    services_rsvp.rsvp_set(session=coming, user=kring.anna, response="yes")
    client = make_client(kring.anna)
    base = url("session-list", slug=kring.community.slug)
    upcoming = client.get(base)
    assert [r["session"].title for r in upcoming.context["rows"]] == ["Volgende keer"]
    body = upcoming.content.decode()
    assert "You are coming" in body
    # Anna, and Fenna who planned it.
    assert "2 of 10 places taken" in body
    past = client.get(base + "?when=past", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="session-results")
    assert [r["session"].title for r in past.context["rows"]] == ["Vorige keer"]
    assert "<html" not in past.content.decode()


def test_list_shows_the_charts(series, past_session, kring, make_client):
    """The rhythm and the attendance chart are on the list page, with a table fallback."""
    services.attendance_set(
        session=past_session, by=kring.facilitator, user=kring.anna, status="attended"
    )
    page = make_client(kring.anna).get(url("session-list", slug=kring.community.slug))
    body = page.content.decode()
    assert "chart-rhythm" in body
    assert "chart-attendance" in body
    assert "Show as a table" in body


class SimpleCommunity:
    def __init__(self, community):
        self.community = community
        self.facilitator = community.memberships.first().user


@pytest.fixture
def make_perspective_item():
    """A perspective and a library item in the given community (through the services)."""
    from kring.accounts.models import Perspective
    from kring.knowledge.services import item_create

    def make(circle):
        perspective, _ = Perspective.objects.get_or_create(
            key="wijkverpleging",
            defaults={"name_nl": "Wijkverpleging", "name_en": "District nursing"},
        )
        item = item_create(
            community=circle.community,
            by=circle.facilitator,
            kind="handout",
            title="Werkwijze wijkteam",
            body="Zo werken wij.",
        )
        return perspective, item

    return make


# The materials picker: a short list, the rest found by title -----------------------------------


def _library(kring, count: int) -> list:
    from kring.knowledge.services import item_create

    return [
        item_create(
            community=kring.community,
            by=kring.facilitator,
            kind="handout",
            title=f"Handout {n:03d}",
            body="Tekst.",
        )
        for n in range(count)
    ]


def test_materials_picker_lists_a_few_and_searches_the_rest(make_session, kring, make_client):
    """The picker lists the latest items and the linked ones, not the whole library; its
    search finds any item of the community by title, and an item outside the list can be
    linked."""
    from kring.meetings import selectors

    items = _library(kring, selectors.MATERIAL_CHOICES + 5)
    oldest = items[0]
    session = make_session()
    client = make_client(kring.facilitator)
    page = client.get(url("session-materials", session)).content.decode()
    assert page.count("Handout ") == selectors.MATERIAL_CHOICES
    lookup = url("session-material-lookup", session)
    assert lookup in page
    found = client.get(lookup, {"q": "handout 000"}).json()["results"]
    assert [r["id"] for r in found] == [oldest.pk]
    assert client.get(lookup, {"q": "h"}).json()["results"] == []
    client.post(url("session-materials", session), {"items": [oldest.pk]})
    assert list(session.materials.all()) == [oldest]
    page = client.get(url("session-materials", session)).content.decode()
    assert f'value="{oldest.pk}" selected' in page


def test_the_materials_picker_is_fetched_when_opened(make_session, kring, make_client):
    """The session page holds no picker, only where to fetch it (htmx, when "Choose
    materials" is opened) and a plain link for browsers without JavaScript; the form it
    fetches saves to the same place as before."""
    _library(kring, 3)
    session = make_session()
    client = make_client(kring.facilitator)
    form_url = url("session-materials", session)

    page = client.get(session.get_absolute_url()).content.decode()

    assert "Handout " not in page and 'class="stack session-materials-form"' not in page
    assert f'hx-get="{form_url}"' in page and f'<a href="{form_url}">' in page
    assert 'hx-select=".session-materials-form"' in page
    fetched = client.get(form_url, headers={"HX-Request": "true"}).content.decode()
    assert fetched.startswith('<form method="post"')  # only the form, no page around it
    assert 'class="stack session-materials-form"' in fetched
    assert f'action="{form_url}"' in fetched and "Handout 002" in fetched
    own_page = client.get(form_url).content.decode()
    assert "<!doctype html>" in own_page and 'class="stack session-materials-form"' in own_page


def test_the_materials_form_does_not_grow_with_the_library(make_session, kring, make_client):
    """The picker lists a few items and finds the rest by title: as many queries for a
    library of 2 as of 30."""
    session = make_session()
    client = make_client(kring.facilitator)
    counts = []
    for extra in (2, 28):
        _library(kring, extra)
        client.get(url("session-materials", session), headers={"HX-Request": "true"})
        with CaptureQueriesContext(connection) as queries:
            client.get(url("session-materials", session), headers={"HX-Request": "true"})
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("guest", 403), ("member", 403), ("facilitator", 200), ("admin", 200)],
)
def test_the_materials_page_is_for_planners(who, status, people, make_session, make_client):
    """Only who may plan sessions opens the picker; outsiders do not learn the session exists."""
    session = make_session()

    response = make_client(people[who]).get(url("session-materials", session))

    assert response.status_code == status
    if status == 200:
        assert b"session-materials-form" in response.content


def test_members_see_no_materials_picker(make_session, kring, make_client):
    """A member's session page does not even say where the picker is."""
    session = make_session()

    page = make_client(kring.anna).get(session.get_absolute_url()).content.decode()

    assert url("session-materials", session) not in page


def test_material_lookup_only_for_planners_and_this_community(
    make_session, kring, people, make_client, make_community
):
    from kring.knowledge.services import item_create

    other = make_community(name="Elders")
    item_create(
        community=other,
        by=other.memberships.first().user,
        kind="handout",
        title="Handout elders",
        body="Tekst.",
    )
    _library(kring, 2)
    session = make_session()
    lookup = url("session-material-lookup", session)
    found = make_client(kring.facilitator).get(lookup, {"q": "handout"}).json()["results"]
    assert {r["name"] for r in found} == {"Handout 000", "Handout 001"}
    assert make_client(kring.anna).get(lookup, {"q": "handout"}).status_code == 403
    assert make_client(kring.outsider).get(lookup, {"q": "handout"}).status_code == 404


def test_session_page_queries_do_not_grow_with_the_library(make_session, kring, make_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = make_session()
    client = make_client(kring.facilitator)
    counts = []
    for extra in (1, 30):
        _library(kring, extra)
        client.get(session.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            client.get(session.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]
