"""The member's week on a phone: the next session's RSVP is in the first screen and answers
in one tap (htmx), an action point is ticked off in one tap, nothing overflows and the
console stays clean."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "mijn-week-op-de-telefoon"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def week(make_founder, plan):
    """Anna, a member of "Wijkzorg Noord" with one session coming and one action point."""
    from kring.accounts.models import User
    from kring.communities.services import membership_add
    from kring.meetings.services_learning import action_point_create

    fenna, community = make_founder("fenna@example.org", PASSWORD, "Fenna de Boer")
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    membership_add(community=community, user=anna, by=fenna)
    session = plan(community, fenna, days=5, title="Leerkring Wijkzorg")
    point = action_point_create(
        community=community, by=fenna, what="Bel de bibliotheek", owner=anna
    )
    return session, point


def test_week_on_a_phone(browser, live_server, week, screenshot):
    """At 390 px the next session's "Coming" is in the first screen; one tap on "Maybe" and
    one on an action point's tick are answered by the server and swapped in place."""
    session, point = week
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    errors = []
    tab = context.new_page()
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto("/login/")
    tab.fill("input[name=username]", "anna@example.org")
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab.locator("h1")).to_have_text("Your week")

    primary = tab.locator("[data-primary-action]")
    expect(primary).to_have_count(1)
    expect(primary).to_have_text("Coming")
    screenshot(tab, "home-week-390")
    assert primary.bounding_box()["y"] + primary.bounding_box()["height"] <= 800
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    card = tab.locator(f"#week-session-{session.pk}")
    with tab.expect_response(f"**/me/sessions/{session.pk}/rsvp/") as answer:
        card.locator("button[value=maybe]").click()
    assert answer.value.status == 200
    card = tab.locator(f"#week-session-{session.pk}")
    expect(card.locator("button[value=maybe]")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".week-rsvp-state")).to_contain_text("You might come.")

    with tab.expect_response(f"**/action-points/{point.pk}/done/") as done:
        tab.locator(f"#done-{point.pk}").check()
    assert done.value.status == 200
    expect(tab.locator(f"#action-point-{point.pk}")).to_have_class("action-point action-point-done")

    from kring.meetings.models import Rsvp

    assert Rsvp.objects.get(session=session, user__email="anna@example.org").response == "maybe"
    point.refresh_from_db()
    assert point.done_at is not None
    assert not errors, errors
    context.close()
