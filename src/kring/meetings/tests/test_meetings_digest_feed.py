"""Sessions in the digest (upcoming sessions) and on the community home (feed entries and the
next-session panel)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.core import digest, feed
from kring.meetings import services, services_learning, services_rsvp
from kring.meetings.tests.conftest import local

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
WEEK = timedelta(days=7)


def section(user, community_ids, *, period, now=None, key="sessions"):
    now = now or timezone.now()
    filled = digest.build(user=user, community_ids=community_ids, since=now - period, until=now)
    return next((s for s in filled if s.key == key), None)


def test_weekly_digest_lists_the_next_two_weeks(kring, make_session):
    """A weekly digest has the sessions of the next 14 days, soonest first, with the place,
    how many are coming and the reader's answer; not later, cancelled or past ones."""
    now = timezone.now()
    soon = make_session(starts_at=now + 3 * DAY, title="Over drie dagen")
    make_session(starts_at=now + 10 * DAY, title="Over tien dagen")
    make_session(starts_at=now + 20 * DAY, title="Te ver weg")
    make_session(starts_at=now - DAY, title="Voorbij")
    cancelled = make_session(starts_at=now + 5 * DAY, title="Afgelast")
    services.session_cancel(session=cancelled, by=kring.facilitator)
    services_rsvp.rsvp_set(session=soon, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=soon, user=kring.bram, response="maybe")
    filled = section(kring.anna, [kring.community.pk], period=WEEK, now=now)
    assert filled.title == "Upcoming sessions"
    assert [e.title for e in filled.entries] == ["Over drie dagen", "Over tien dagen"]
    first = filled.entries[0]
    assert first.url == soon.get_absolute_url()
    assert first.community == "Zorg thuis"
    assert "Buurthuis De Spreeuw" in first.meta
    # Anna, and Fenna who planned it.
    assert "2 coming" in first.meta
    assert "you are coming" in first.meta
    assert "you" not in filled.entries[1].meta


def test_daily_digest_lists_soon_and_newly_planned_sessions(kring, make_session):
    """A daily digest has what is coming in the next two days, and (in its own section) what
    was planned since the last digest, not every session of the next two weeks day after day."""
    now = timezone.now()
    make_session(starts_at=now + DAY, title="Morgen", at=now - 10 * DAY)
    make_session(starts_at=now + 9 * DAY, title="Lang bekend", at=now - 10 * DAY)
    make_session(starts_at=now + 8 * DAY, title="Net gepland", at=now - timedelta(hours=2))
    filled = section(kring.anna, [kring.community.pk], period=DAY, now=now)
    assert [e.title for e in filled.entries] == ["Morgen"]
    new = section(kring.anna, [kring.community.pk], period=DAY, now=now, key="new_sessions")
    assert new.title == "New sessions planned"
    assert [e.title for e in new.entries] == ["Net gepland"]


def test_digest_only_has_the_readers_communities(kring, make_session, make_community, make_user):
    """Sessions of a community the reader is not in never show up; no sessions, no section."""
    olga = make_user(full_name="Olga Other")
    other = make_community(by=olga, name="Elders")
    make_session(community=other, by=olga, starts_at=timezone.now() + DAY, title="Elders")
    assert section(kring.anna, [kring.community.pk], period=WEEK) is None
    # Planned long ago: it is under "Upcoming", not under "New sessions planned".
    make_session(starts_at=timezone.now() + DAY, title="Hier", at=timezone.now() - 3 * WEEK)
    filled = section(kring.anna, [kring.community.pk], period=WEEK)
    assert [e.title for e in filled.entries] == ["Hier"]


def test_digest_shows_local_time_of_the_session(kring, make_session):
    """The time in the digest is the session's own local time, in the reader's language."""
    now = local(2027, 3, 20, 12, 0)
    make_session(starts_at=local(2027, 3, 30, 19, 30), title="Na de klok")
    filled = section(kring.anna, [kring.community.pk], period=WEEK, now=now)
    assert filled.entries[0].meta.startswith("Tuesday 30 March, 19:30")


MEETING_KINDS = {"session", "session-cancelled", "reflection", "action-point"}


def entries_for(community, user) -> list:
    """The feed entries about sessions (joins and the like are left out)."""
    entries = feed.community_feed(community=community, user=user).entries
    return [e for e in entries if e.extra.get("kind") in MEETING_KINDS]


def test_feed_describes_series_sessions_cancellations_reflections_and_action_points(
    kring, make_series, make_session
):
    """Planning a series or a session, cancelling, reflecting and making an action point each
    show in the community's feed with links."""
    series = make_series(first_start=local(2027, 1, 12, 19, 30), title="Leerkring")
    single = make_session(starts_at=timezone.now() - timedelta(hours=3), title="Intervisie")
    first = series.sessions.order_by("starts_at").first()
    services.session_cancel(session=first, by=kring.facilitator)
    services_learning.reflection_save(session=single, by=kring.anna, learned="Luisteren helpt")
    services_learning.action_point_create(
        community=kring.community,
        by=kring.anna,
        what="Bel <de> wijkteam",
        owner=kring.bram,
        session=single,
    )
    texts = [str(e.sentence) for e in entries_for(kring.community, kring.bram)]
    assert len(texts) == 5
    action, reflected, cancelled, planned, planned_series = texts
    assert "made an action point for" in action and "Bram Member" in action
    assert "Bel &lt;de&gt; wijkteam" in action
    assert "reflected on the session" in reflected and "Anna Member" in reflected
    assert "#reflections" in reflected
    assert "cancelled the session of 12 January 2027" in cancelled
    assert first.get_absolute_url() in cancelled
    assert "planned a session on" in planned and single.get_absolute_url() in planned
    assert "planned a series of 14 sessions" in planned_series
    assert first.get_absolute_url() in planned_series


def test_feed_drops_a_cancellation_that_was_restored(kring, make_session):
    """A session cancelled and restored since no longer shows as cancelled."""
    session = make_session(title="Toch wel")
    services.session_cancel(session=session, by=kring.facilitator)
    services.session_restore(session=session, by=kring.facilitator)
    texts = [str(e.sentence) for e in entries_for(kring.community, kring.anna)]
    assert len(texts) == 1 and "planned a session" in texts[0]


def test_feed_of_a_community_has_only_its_own_sessions(
    kring, make_session, make_community, make_user
):
    """Another community's sessions are not in this community's feed."""
    olga = make_user(full_name="Olga Other")
    other = make_community(by=olga, name="Elders")
    make_session(community=other, by=olga, title="Elders bijeen")
    assert entries_for(kring.community, kring.anna) == []


def test_next_session_panel_on_the_community_page(kring, make_session, make_client):
    """The community page shows the next session with when, where, how many are coming and an
    RSVP link; past and cancelled sessions are skipped."""
    make_session(starts_at=timezone.now() - 2 * DAY, title="Vorige keer")
    cancelled = make_session(starts_at=timezone.now() + DAY, title="Afgelast")
    services.session_cancel(session=cancelled, by=kring.facilitator)
    upcoming = make_session(starts_at=timezone.now() + 2 * DAY, title="<i>Volgende</i> keer")
    make_session(starts_at=timezone.now() + 9 * DAY, title="Daarna")
    services_rsvp.rsvp_set(session=upcoming, user=kring.bram, response="yes")
    response = make_client(kring.anna).get(kring.community.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "Next session" in html
    assert "&lt;i&gt;Volgende&lt;/i&gt; keer" in html
    assert "<i>Volgende</i>" not in html
    # Bram, and Fenna who planned it.
    assert "2 coming" in html
    assert f"{upcoming.get_absolute_url()}#rsvp" in html
    assert "Are you coming?" in html
    assert "Afgelast" not in html.split("Next session", 1)[1].split("</section>", 1)[0]


def test_next_session_panel_shows_your_answer(kring, make_session, make_client):
    """Someone who answered sees their answer and a link to change it."""
    upcoming = make_session(starts_at=timezone.now() + 2 * DAY)
    services_rsvp.rsvp_set(session=upcoming, user=kring.anna, response="maybe")
    html = make_client(kring.anna).get(kring.community.get_absolute_url()).text
    assert "You might come." in html
    assert "Change your answer" in html


def test_next_session_panel_without_sessions(kring, make_client):
    """Without a planned session, the panel says so; a facilitator gets a link to plan."""
    html = make_client(kring.anna).get(kring.community.get_absolute_url()).text
    assert "No session planned yet." in html
    assert "Plan sessions" not in html
    html = make_client(kring.facilitator).get(kring.community.get_absolute_url()).text
    assert "Plan sessions" in html


def test_outsider_sees_no_panel_or_feed(kring, make_session, make_client):
    """Someone outside the community does not see its next session on the public page."""
    make_session(starts_at=timezone.now() + 2 * DAY, title="Geheim overleg")
    response = make_client(kring.outsider).get(kring.community.get_absolute_url())
    assert "Geheim overleg" not in response.text


def test_new_sessions_section_has_one_entry_per_series(kring, make_series, make_session):
    """A series planned in the period is one entry (how many, the first), a single session
    another; older plans are left out, and the planner's own plans are not news to them."""
    now = timezone.now()
    planned = make_series(
        first_start=now + 3 * DAY,
        rule="FREQ=WEEKLY;INTERVAL=6;COUNT=5",
        title="Leerkring",
        at=now - timedelta(hours=5),
    )
    make_session(starts_at=now + 2 * DAY, title="Extra avond", at=now - timedelta(hours=1))
    make_session(starts_at=now + 4 * DAY, title="Al lang bekend", at=now - 30 * DAY)
    filled = section(kring.bram, [kring.community.pk], period=WEEK, now=now, key="new_sessions")
    assert [e.title for e in filled.entries] == ["Extra avond", "Leerkring"]
    single, series = filled.entries
    assert "planned by Fenna Facilitator" in single.meta
    assert "Buurthuis De Spreeuw" in single.meta
    assert series.meta.startswith("5 sessions, the first on ")
    assert series.url == planned.sessions.order_by("starts_at").first().get_absolute_url()
    own = section(kring.facilitator, [kring.community.pk], period=WEEK, now=now, key="new_sessions")
    assert own is None
    upcoming = section(kring.bram, [kring.community.pk], period=WEEK, now=now)
    assert "Extra avond" not in [e.title for e in upcoming.entries]
    assert "Al lang bekend" in [e.title for e in upcoming.entries]


def test_feed_of_action_points_takes_the_same_queries_for_more_sessions(kring, make_session):
    """Action points of sessions link to their session: one query for them all, not one per
    session (the session's community is read with it)."""

    def add_points(n: int) -> None:
        for i in range(n):
            session = make_session(starts_at=timezone.now() - (i + 1) * DAY, title=f"S{i}")
            services_learning.action_point_create(
                community=kring.community, by=kring.anna, what=f"Punt {i}", session=session
            )

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            entries_for(kring.community, kring.bram)
        return len(queries)

    add_points(1)
    few = count()
    add_points(4)
    assert count() == few
