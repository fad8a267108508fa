"""The platform overview: only platform admins see it; its figures and its chart."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent
from kring.growth.services import stage_correct
from kring.home import charts
from kring.home.selectors import Week, activity_by_week

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("outsider", 404), ("member", 404), ("facilitator", 404), ("admin", 200)],
)
def test_only_platform_admins_see_the_overview(
    who, status, make_client, make_user, make_admin, make_community, make_member
):
    """Platform admins get the overview; anyone else, facilitators included, gets 404."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    people = {
        "anonymous": None,
        "outsider": make_user(),
        "member": make_member(community).user,
        "facilitator": facilitator,
        "admin": make_admin(),
    }
    assert make_client(people[who]).get("/platform/").status_code == status


def test_overview_shows_communities_people_and_admin_links(
    make_client, make_admin, make_community, make_member, make_user
):
    """Each community with its stage, members and last activity; people counted; links to
    the admin; the page's primary action opens the admin."""
    big = make_community(name="Big one")
    stage_correct(community=big, by=big.created_by, stage="coalescing", note="We have begun")
    for _ in range(3):
        make_member(big)
    make_community(name="Quiet one")
    make_user(is_active=False)
    content = make_client(make_admin()).get("/platform/").content.decode()
    assert "Big one" in content and "Quiet one" in content
    row = content[content.index("Big one") :].split("</tr>")[0]
    assert re.search(r'class="num">4<', row)  # the facilitator and three members
    assert 'href="/admin/" data-primary-action' in content
    assert 'href="/admin/django_tasks_database/dbtaskresult/"' in content
    assert "<svg" in content and 'role="img"' in content


def test_activity_by_week_counts_actions_and_people(make_user, make_community):
    """Actions and distinct people per week, Monday to Sunday, with empty weeks as zero."""
    community = make_community()
    anna, bram = make_user(), make_user()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    noon = timezone.make_aware(datetime.combine(monday, time(12)))
    ActivityEvent.objects.all().delete()
    for actor, at in [
        (anna, noon),
        (anna, noon),
        (bram, noon),
        (anna, noon - timedelta(weeks=2)),
        (anna, noon - timedelta(weeks=20)),
    ]:
        ActivityEvent.objects.create(
            actor=actor, verb=ConversationVerb.ASKED, community=community, created_at=at
        )
    weeks = activity_by_week(weeks=12)
    assert len(weeks) == 12
    assert weeks[-1].start == monday
    assert (weeks[-1].events, weeks[-1].people) == (3, 2)
    assert (weeks[-3].events, weeks[-3].people) == (1, 1)
    assert sum(w.events for w in weeks) == 4


def test_chart_text_stays_readable_on_a_phone():
    """Every text in the chart is at least 11 px when the chart is shown at its narrowest
    (a card on a 390 px screen)."""
    weeks = [
        Week(start=date(2026, 9, 7) + timedelta(weeks=n), events=n * 7, people=n) for n in range(12)
    ]
    svg = str(charts.weekly_activity_svg(weeks))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes
    assert min(sizes) * charts.NARROWEST_PX / width >= 11
    assert svg.count('<g class="chart-bar">') == 12
    assert "<title" in svg and "<desc" in svg


def test_chart_of_a_quiet_platform_has_no_division_by_zero():
    """Twelve empty weeks still draw axes and say the numbers in words."""
    weeks = [Week(start=date(2026, 9, 7) + timedelta(weeks=n)) for n in range(12)]
    svg = str(charts.weekly_activity_svg(weeks))
    assert "lowest 0, highest 0" in svg


def test_facilitator_role_does_not_open_the_overview(
    make_client, make_user, make_community, make_member
):
    """Being a facilitator of several communities is not enough."""
    person = make_user()
    for _ in range(2):
        make_member(make_community(), user=person, role=Role.FACILITATOR)
    assert make_client(person).get("/platform/").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1" * 500])
def test_odd_page_numbers_show_a_page(make_client, make_admin, make_community, page):
    """A nonsense or out-of-range page number shows the nearest page, never an error."""
    make_community(name="Only one")
    response = make_client(make_admin()).get("/platform/", {"page": page})
    assert response.status_code == 200
    assert b"Only one" in response.content
