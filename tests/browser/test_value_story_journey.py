"""Illuminating a community in a real browser: a member tells what a session gave her, the
facilitator features her story with a quote and publishes the spotlight, a visitor reads the
story there, and the quote is in the report for funders."""

import os
from datetime import timedelta

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "leerkring-verhalen-2026"
TITLE = "De huisarts belt nu zelf"
REALISED = "Sinds de bijeenkomst belt de huisarts het wijkteam zelf als iemand thuis vastloopt."
# Facilitators quote the teller's own words: only those show on the public page.
QUOTE = "belt de huisarts het wijkteam zelf"


@pytest.fixture
def people(transactional_db):
    """Fenna (facilitator) and Anna (member) of "Wijkzorg Noord"; Anna attended last week's
    session. Both read Kring in English."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.meetings import services as meeting_services
    from kring.meetings.models import AttendanceStatus

    fenna = User.objects.create_user(
        "fenna@example.org", PASSWORD, full_name="Fenna de Boer", language="en"
    )
    fenna.user_permissions.add(Permission.objects.get(codename="add_community"))
    fenna = User.objects.get(pk=fenna.pk)
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    community = community_services.community_create(
        by=fenna, name="Wijkzorg Noord", slug="wijkzorg-noord", theme="Zorg in de wijk"
    )
    community_services.membership_add(community=community, user=anna, by=fenna)
    start = timezone.now() - timedelta(days=7)
    session = meeting_services.session_create(
        community=community,
        by=fenna,
        title="Huisartsen en wijkteams",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Buurthuis De Linde",
        at=start - timedelta(days=14),
    )
    meeting_services.attendance_set(
        session=session, by=fenna, user=anna, status=AttendanceStatus.ATTENDED
    )
    return {"community": community, "session": session}


def test_a_story_from_a_session_reaches_the_spotlight_and_the_report(
    open_tab, log_in, people, screenshot
):
    """Told from the session page, featured, public on the spotlight, quoted in the report."""
    community, session = people["community"], people["session"]
    anna_tab, fenna_tab, visitor_tab = open_tab(), open_tab(), open_tab()
    log_in(anna_tab, "anna@example.org", PASSWORD, "Anna de Wit")
    log_in(fenna_tab, "fenna@example.org", PASSWORD, "Fenna de Boer")

    # Anna tells her story from the session page; the form knows which session it is about.
    anna_tab.goto(session.get_absolute_url())
    anna_tab.get_by_role("link", name="Tell what this gave you").click()
    expect(anna_tab.locator("form.stack")).to_contain_text("Huisartsen en wijkteams")
    anna_tab.fill("#id_title", TITLE)
    anna_tab.fill("#id_realised", REALISED)
    anna_tab.locator("input[name=consent][value=public]").check()
    screenshot(anna_tab, "story-form")
    anna_tab.locator("button[data-primary-action]").click()
    expect(anna_tab.locator("h1, h2").filter(has_text=TITLE).first).to_be_visible()
    story_url = anna_tab.url

    # Fenna features it with a quote and publishes the community's spotlight.
    fenna_tab.goto(story_url)
    fenna_tab.fill("#id_quote", QUOTE)
    fenna_tab.locator("button", has_text="Feature").click()
    expect(fenna_tab.locator(".badge-featured").first).to_be_visible()
    fenna_tab.goto(f"/communities/{community.slug}/spotlight/")
    fenna_tab.locator("button", has_text="Publish the spotlight").click()
    expect(fenna_tab.locator(".spotlight-bar h2")).to_have_text("Your spotlight is published")

    # A visitor without an account reads the story on the community's own address.
    visitor_tab.goto(f"/communities/{community.slug}/")
    stories = visitor_tab.locator(".spotlight-stories")
    expect(stories).to_contain_text(TITLE)
    expect(stories).to_contain_text(QUOTE)
    expect(visitor_tab.locator("main")).not_to_contain_text("Anna de Wit")
    screenshot(visitor_tab, "spotlight-with-story")
    stories.get_by_role("link", name=TITLE).click()
    expect(visitor_tab.locator("main")).to_contain_text(REALISED)

    # The report for funders quotes it.
    fenna_tab.goto(f"/communities/{community.slug}/report/")
    expect(fenna_tab.locator("main")).to_contain_text(QUOTE)
    screenshot(fenna_tab, "report-with-story")
