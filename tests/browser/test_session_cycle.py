"""The learning cycle in a real browser: a facilitator plans a six-weekly series, a member
says she is coming, the facilitator registers attendance on the checklist, the member writes a
reflection with an action point, and the action point is on the next session's agenda."""

import os
from datetime import timedelta

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "leerkring-sessies-2026"
SERIES = "Leerkring Wijkzorg"
ACTION = "Huisartsen uitnodigen voor de volgende keer"


@pytest.fixture
def people(transactional_db):
    """Fenna (facilitator) and Anna (member) in "Wijkzorg Noord", both reading Kring in English."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities import services as community_services

    fenna = User.objects.create_user(
        "fenna@example.org", PASSWORD, full_name="Fenna de Boer", language="en"
    )
    fenna.user_permissions.add(Permission.objects.get(codename="add_community"))
    fenna = User.objects.get(pk=fenna.pk)
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    community = community_services.community_create(
        by=fenna, name="Wijkzorg Noord", slug="wijkzorg-noord"
    )
    community_services.membership_add(community=community, user=anna, by=fenna)
    return {"community": community, "fenna": fenna, "anna": anna}


def test_plan_rsvp_attend_reflect_and_carry_an_action_point(open_tab, log_in, people, screenshot):
    """The whole cycle, with the action point showing on the next session's agenda."""
    from kring.meetings.models import Session

    fenna_tab, anna_tab = open_tab(), open_tab()
    log_in(fenna_tab, "fenna@example.org", PASSWORD, "Fenna de Boer")
    log_in(anna_tab, "anna@example.org", PASSWORD, "Anna de Wit")
    slug = people["community"].slug

    # Fenna plans the series from yesterday evening on: every six weeks for 18 months.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    fenna_tab.goto(f"/communities/{slug}/")
    fenna_tab.locator(".tabs a", has_text="Sessions").click()
    fenna_tab.goto(f"/communities/{slug}/sessions/series/create/")
    fenna_tab.fill("#id_title", SERIES)
    fenna_tab.fill("#id_date", yesterday)
    fenna_tab.fill("#id_start_time", "19:30")
    fenna_tab.fill("#id_end_time", "21:30")
    fenna_tab.fill("#id_location", "Buurthuis De Linde, Kerkstraat 12")
    fenna_tab.locator("button[name=preview]").click()
    expect(fenna_tab.locator("main")).to_contain_text("This makes 14 sessions")
    screenshot(fenna_tab, "sessions-series-form")
    fenna_tab.locator("button", has_text="Plan the series").click()
    sessions = list(Session.objects.filter(community=people["community"]).order_by("starts_at"))
    assert len(sessions) == 14
    first, second = sessions[0], sessions[1]

    # Anna heard about the series in Kring: one notification, not one per session.
    anna_tab.goto("/notifications/")
    expect(anna_tab.locator(".notification-list")).to_contain_text(
        "Fenna de Boer planned a series of 14 sessions"
    )
    assert anna_tab.locator(".notification-row").count() == 1

    # Anna says she is coming to the next session with one tap (htmx swaps the answer box);
    # Fenna, who planned it, is coming already.
    anna_tab.goto(second.get_absolute_url())
    expect(anna_tab.locator("#session-people")).to_contain_text("Fenna de Boer")
    with anna_tab.expect_response(lambda r: r.url.endswith("/rsvp/")):
        anna_tab.locator("#rsvp-box button[value=yes]").click()
    expect(anna_tab.locator("#rsvp-box .my-rsvp")).to_contain_text("You are coming.")
    expect(anna_tab.locator("#session-people")).to_contain_text("2 coming")

    # Fenna registers Anna's attendance of yesterday's session on the checklist (htmx per row).
    fenna_tab.goto(f"/communities/{slug}/sessions/{first.pk}/attendance/")
    row = fenna_tab.locator(f"#attendance-{people['anna'].pk}")
    # Wait for the server's answer to the htmx save, not for the box's own state: a reload
    # before the answer would lose the save on a busy machine.
    with fenna_tab.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/attendance/")
    ) as saved:
        row.locator("input[value=attended]").check()
    assert saved.value.ok
    fenna_tab.reload()
    expect(
        fenna_tab.locator(f"#attendance-{people['anna'].pk} input[value=attended]")
    ).to_be_checked()
    screenshot(fenna_tab, "sessions-attendance")

    # Anna reflects on yesterday's session and agrees an action point.
    anna_tab.goto(f"/communities/{slug}/sessions/{first.pk}/reflection/")
    anna_tab.fill("#id_learned", "We betrekken de huisartsen te laat.")
    anna_tab.locator("form.reflection-form button[type=submit]").click()
    expect(anna_tab.locator("main")).to_contain_text("We betrekken de huisartsen te laat.")
    anna_tab.goto(first.get_absolute_url())
    anna_tab.locator("summary", has_text="Add an action point").click()
    anna_tab.fill("#id_ap-what", ACTION)
    anna_tab.locator("button", has_text="Add action point").click()
    expect(anna_tab.locator("main")).to_contain_text(ACTION)
    screenshot(anna_tab, "sessions-reflection")

    # The action point is on the next session's agenda, until it is done.
    anna_tab.goto(second.get_absolute_url())
    agenda = anna_tab.locator("section[aria-labelledby=agenda-heading]")
    expect(agenda).to_contain_text("Open action points from earlier sessions")
    expect(agenda).to_contain_text(ACTION)
    screenshot(anna_tab, "sessions-next-agenda")
