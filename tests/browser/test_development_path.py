"""A facilitator reads the development path on a phone, sees the next step (the room to
experiment), records the mandate and sees the step done and the next one highlighted: a real
headless Chromium against a live server."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "wijkzorg-kring-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def circle(transactional_db):
    """Anna (municipality) facilitates "Wijkzorg Noord": theme, goal and urgency written, a
    target mix met by a citizen member. The first step not done is the mandate."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import Perspective, User
    from kring.communities import services as community_services
    from kring.communities.models import Role

    # A transactional test's flush empties the perspectives a data migration added.
    for key, name in (("municipality", "Municipality"), ("citizen", "Citizen")):
        Perspective.objects.get_or_create(key=key, defaults={"name_en": name, "name_nl": name})
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    anna.user_permissions.add(Permission.objects.get(codename="add_community"))
    anna = User.objects.get(pk=anna.pk)
    anna.perspectives.add(Perspective.objects.get(key="municipality"))
    community = community_services.community_create(
        by=anna,
        name="Wijkzorg Noord",
        slug="wijkzorg-noord",
        theme="Care in the neighbourhood",
        shared_goal="Nobody waits alone",
        urgency="Waiting lists grow",
        target_mix={"municipality": 50, "citizen": 50},
    )
    bea = User.objects.create_user("bea@example.org", PASSWORD, full_name="Bea Burger")
    bea.perspectives.add(Perspective.objects.get(key="citizen"))
    community_services.membership_add(community=community, user=bea, role=Role.MEMBER, by=anna)
    return community


def test_facilitator_reads_the_path_and_records_the_mandate(
    browser, live_server, log_in, circle, screenshot
):
    """The next step is the room to experiment; saved from the page, it reads done."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    log_in(tab, "anna@example.org", PASSWORD, "Anna")
    tab.goto("/communities/wijkzorg-noord/development/")
    next_card = tab.locator(".path-next")
    expect(next_card).to_contain_text("Room to experiment")
    for key, status in (("theme", "Done"), ("urgency", "Done"), ("mandate", "Open")):
        expect(tab.locator(f"#step-{key} .path-step-head .badge").first).to_have_text(status)
    screenshot(tab, "development-path-phone")

    next_card.get_by_role("link", name="Record the room to experiment").click()
    form = tab.locator("#step-mandate form")
    form.get_by_label("Who gave the room to experiment?").fill("The municipal board")
    form.get_by_label("Room to do what?").fill("Try visits by neighbours instead of care staff")
    with tab.expect_response(lambda r: r.url.endswith("/development/mandate/")) as sent:
        form.get_by_role("button", name="Save the mandate").click()
    assert sent.value.status == 302

    mandate = tab.locator("#step-mandate")
    expect(mandate.locator(".path-step-head .badge").first).to_have_text("Done")
    expect(mandate).to_contain_text("The municipal board")
    expect(tab.locator(".path-next")).to_contain_text("Two facilitators")
    screenshot(tab, "development-path-mandate-recorded")
    context.close()
    assert not problems, problems
