"""The server-drawn SVG charts: valid XML, accessible (role, title, desc, a title per mark),
one bar per past session, states told apart by shape, and text escaped."""

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from kring.meetings import charts, selectors, services

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg, role: str = "img") -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == role
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
    root = _parse(charts.rhythm_svg(data, community=kring.community), role="group")
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
    root = _parse(svg, role="group")
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


def _smallest_text_px(root: ET.Element, shown_px: float) -> float:
    """The smallest text of an SVG shown `shown_px` wide, in px."""
    width = float(root.get("viewBox").split()[2])
    return min(float(t.get("font-size")) for t in root.iter(f"{SVG}text")) * shown_px / width


def test_chart_text_is_at_least_11px_on_a_phone(kring, make_series):
    """Shown 320 px wide (a 390 px phone less the margins), the rhythm and the attendance of
    two years of sessions keep every text at 11 px or more, and the day labels do not touch."""
    now = timezone.now()
    make_series(first_start=now - timedelta(weeks=4 * 24), rule="FREQ=WEEKLY;INTERVAL=4;COUNT=30")
    sessions = selectors.sessions_for_community(
        community=kring.community, user=kring.anna, when="all"
    )
    rhythm = _parse(charts.rhythm_svg(sessions, community=kring.community), role="group")
    attendance = _parse(
        charts.attendance_svg(
            selectors.attendance_by_session(community=kring.community, user=kring.anna)
        )
    )
    for root in (rhythm, attendance):
        assert _smallest_text_px(root, 320) >= 11
    days = [
        float(t.get("x"))
        for t in attendance.iter(f"{SVG}text")
        if t.get("y") == str(charts.BAR_HEIGHT + 18)
    ]
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    assert len(days) >= 4 and min(gaps) >= charts.DAY_LABEL_ROOM - 1


def test_attendance_without_registrations_says_so(kring, make_session):
    """Past sessions without any attendance registered: the chart keeps its axis and says
    that nothing was recorded yet."""
    make_session(starts_at=timezone.now() - timedelta(days=7))
    root = _parse(
        charts.attendance_svg(
            selectors.attendance_by_session(community=kring.community, user=kring.anna)
        )
    )
    assert root.find(f"{SVG}line[@class='chart-axis']") is not None
    assert "No attendance recorded yet." in [t.text for t in root.iter(f"{SVG}text")]
