"""The server-drawn SVG charts: valid XML, accessible (role, title, desc, a title per mark),
one bar per past session, states told apart by shape, and text escaped."""

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from kring.meetings import charts, selectors, services

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert "style" not in str(svg)
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    return root


def test_attendance_chart_has_one_bar_per_past_session(kring, make_session):
    """Four past sessions give four bars, each with a title saying the counts."""
    now = timezone.now()
    sessions = [make_session(starts_at=now - timedelta(days=40 - 7 * n)) for n in range(4)]
    for session, status in zip(sessions, ["attended", "excused", "absent", None], strict=True):
        if status:
            services.attendance_set(
                session=session, by=kring.facilitator, user=kring.anna, status=status
            )
    services.attendance_set(
        session=sessions[0], by=kring.facilitator, user=kring.bram, status="attended"
    )
    make_session(starts_at=now + timedelta(days=30))  # still to come: no bar
    data = selectors.attendance_by_session(community=kring.community, user=kring.anna)
    root = _parse(charts.attendance_svg(data))
    bars = root.findall(f"{SVG}g[@class='attendance-bar']")
    assert len(bars) == 4
    titles = [bar.find(f"{SVG}title").text for bar in bars]
    assert "2 attended, 0 excused, 0 absent" in titles[0]
    assert "0 attended, 1 excused, 0 absent" in titles[1]
    assert root.findall(f".//{SVG}rect[@class='bar-attended']")
    assert root.findall(f".//{SVG}rect[@class='bar-absent']")
    assert len(root.findall(f".//{SVG}rect[@class='bar-empty']")) == 1
    assert "Attendance at the last 4 sessions" in root.find(f"{SVG}desc").text


def test_attendance_chart_for_nothing_is_empty():
    """No past sessions: no chart at all."""
    assert charts.attendance_svg([]) == ""
    assert charts.rhythm_svg([], community=None) == ""


def test_rhythm_shows_past_upcoming_cancelled_and_moved(kring, make_series):
    """A series around today: each session a link with a title; the four states differ."""
    now = timezone.now()
    series = make_series(first_start=now - timedelta(weeks=12, days=1))
    sessions = list(series.sessions.order_by("starts_at"))
    services.session_cancel(session=sessions[4], by=kring.facilitator, reason="")
    services.session_update(
        session=sessions[5],
        by=kring.facilitator,
        starts_at=sessions[5].starts_at + timedelta(days=2),
    )
    data = selectors.sessions_for_community(community=kring.community, user=kring.anna, when="all")
    root = _parse(charts.rhythm_svg(data, community=kring.community))
    links = root.findall(f"{SVG}a")
    assert len(links) == len(sessions)
    classes = [link.get("class") for link in links]
    assert classes.count("rhythm-dot rhythm-past") == 3  # 12, 6 and 0 weeks (and a day) ago
    assert classes.count("rhythm-dot rhythm-cancelled") == 1
    assert classes.count("rhythm-dot rhythm-moved") == 1
    assert "rhythm-dot rhythm-upcoming" in classes
    moved = links[classes.index("rhythm-dot rhythm-moved")]
    assert "moved from" in moved.find(f"{SVG}title").text
    assert moved.find(f"{SVG}rect") is not None  # a diamond, not only another colour
    cancelled = links[classes.index("rhythm-dot rhythm-cancelled")]
    assert cancelled.find(f"{SVG}path") is not None  # a cross
    assert all(link.get("href").startswith("/communities/") for link in links)
    desc = root.find(f"{SVG}desc").text
    assert f"{len(sessions)} sessions from" in desc
    assert "1 cancelled" in desc


def test_chart_text_is_escaped(kring, make_session):
    """A hostile title stays text inside the SVG (and the SVG still parses)."""
    evil = '<script>alert("x")</script> & "quotes"'
    session = make_session(title=evil)
    svg = charts.rhythm_svg([session], community=kring.community)
    root = _parse(svg)
    assert "<script>" not in str(svg)
    assert evil in root.find(f"{SVG}a/{SVG}title").text


def test_many_sessions_keep_the_chart_readable(kring, make_series):
    """Two years of four-weekly sessions: every bar present, labels thinned out."""
    now = timezone.now()
    series = make_series(
        first_start=now - timedelta(weeks=4 * 24), rule="FREQ=WEEKLY;INTERVAL=4;COUNT=24"
    )
    assert series.sessions.count() == 24
    data = selectors.attendance_by_session(community=kring.community, user=kring.anna)
    root = _parse(charts.attendance_svg(data))
    bars = root.findall(f"{SVG}g[@class='attendance-bar']")
    assert len(bars) == len(data)
    labelled = [bar for bar in bars if bar.find(f"{SVG}text") is not None]
    assert len(labelled) < len(bars)
