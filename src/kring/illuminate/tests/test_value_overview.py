"""The value overview: stories by cycle and perspective, and the indicators per cycle, over
a constructed history with known answers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Perspective
from kring.conversations.services.threads import reply_create, thread_create
from kring.illuminate.selectors import value_overview
from kring.knowledge.models import Kind
from kring.knowledge.services import item_create, item_mark_useful
from kring.meetings.models import AttendanceStatus
from kring.meetings.services import attendance_set, session_create

pytestmark = pytest.mark.django_db


def test_overview_figures(circle, make_story):
    """Two attendances, one reply, one useful mark, two new ties, and three stories."""
    now = timezone.now()
    session = session_create(
        community=circle.community,
        by=circle.facilitator,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
        title="Leerkring",
        location="Buurthuis",
    )
    for person in (circle.teller, circle.member):
        attendance_set(
            session=session, by=circle.facilitator, user=person, status=AttendanceStatus.ATTENDED
        )
    thread = thread_create(
        community=circle.community, by=circle.teller, kind="question", title="How?"
    )
    reply_create(thread=thread, by=circle.member, body="Like this.")  # tie teller–member
    item = item_create(
        community=circle.community, by=circle.facilitator, kind=Kind.TOOLKIT, title="Kit"
    )
    item_mark_useful(item=item, by=circle.teller)  # tie teller–facilitator
    pro = Perspective.objects.create(key="pro-test", name_nl="Pro", name_en="Pro")
    make_story(cycles={"immediate": "a", "applied": "b"}, perspective=pro)
    make_story(cycles={"applied": "c", "realised": "d"}, perspective=pro)
    make_story(by=circle.member, cycles={"reframing": "e"})
    today = timezone.localdate()
    overview = value_overview(
        community=circle.community,
        viewer=circle.member,
        start=today - timedelta(days=30),
        end=today,
    )
    assert overview["stories"] == 3
    by_cycle = {row["cycle"]: row["stories"] for row in overview["by_cycle"]}
    assert by_cycle == {
        "immediate": 1,
        "potential": 0,
        "applied": 2,
        "realised": 1,
        "reframing": 1,
    }
    assert [(r["key"], r["stories"]) for r in overview["by_perspective"]] == [
        ("pro-test", 2),
        ("", 1),
    ]
    indicators = overview["indicators"]
    assert indicators["immediate"] == {"attendances": 2, "replies": 1}
    assert indicators["potential"] == {"useful_marks": 1, "new_ties": 2}
    assert indicators["applied"] == {"stories": 2}
    # A period before all of it counts nothing.
    empty = value_overview(
        community=circle.community,
        viewer=circle.member,
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    )
    assert empty["stories"] == 0 and empty["indicators"]["potential"]["new_ties"] == 0


def test_overview_refused_to_outsiders(circle):
    """Only members (and platform admins) read the overview."""
    with pytest.raises(PermissionDenied):
        value_overview(
            community=circle.community, viewer=circle.outsider, start=date.today(), end=date.today()
        )


def test_overview_page_draws_the_chart(circle, make_story, make_client):
    """The page has the SVG chart with a title and a bar per cycle."""
    make_story()
    html = (
        make_client(circle.member)
        .get(reverse("value-overview", kwargs={"slug": circle.community.slug}))
        .content.decode()
    )
    assert "<svg" in html and "Stories per cycle of value" in html
    assert html.count('class="chart-bar"') == 5
