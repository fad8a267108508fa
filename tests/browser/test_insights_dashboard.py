"""A facilitator opens the insights dashboard with a snapshot, reads a signal with its reason,
focuses a person in the network with the keyboard and sees their name, and marks a suggestion
done (htmx swaps the card) or puts it off without JavaScript: a real headless Chromium against
a live server."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "wijkzorg-kring-2026"


@pytest.fixture
def circle(make_founder):
    """Anna facilitates "Wijkzorg Noord"; Daan replied eight times ten weeks ago and has been
    quiet since; Sanne is steady. A snapshot is computed, as the background task would."""
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.conversations.verbs import ConversationVerb
    from kring.core.services import activity_record
    from kring.insights import services

    anna, community = make_founder("anna@example.org", PASSWORD, "Anna de Wit", language="en")
    daan = User.objects.create_user("daan@example.org", PASSWORD, full_name="Daan Drift")
    sanne = User.objects.create_user("sanne@example.org", PASSWORD, full_name="Sanne Steady")
    for person in (daan, sanne):
        community_services.membership_add(community=community, user=person, by=anna)
    now = timezone.now()
    for n in range(16):  # a weekly habit for four months, silent for the last ten weeks
        activity_record(
            actor=daan,
            verb=ConversationVerb.REPLIED,
            community=community,
            other=sanne,
            at=now - timedelta(days=70 + 7 * n),
        )
    for n in range(3):
        activity_record(
            actor=sanne,
            verb=ConversationVerb.REPLIED,
            community=community,
            other=anna,
            at=now - timedelta(days=2 + n),
        )
    services.snapshot_create(community=community)
    return {"community": community, "daan": daan}


def test_facilitator_reads_signal_focuses_network_and_marks_done(
    open_tab, log_in, circle, screenshot
):
    """Anna sees Daan drifting with the reason, tabs to his node and sees his name, and marks
    the suggestion to call him done; it moves to the log."""
    tab = open_tab()
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")

    tab.goto("/communities/wijkzorg-noord/")
    tab.get_by_role("link", name="Insights", exact=True).click()
    expect(tab.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(tab.locator(".insights-age")).to_contain_text("Computed")

    signals = tab.locator("#signals")
    expect(signals.get_by_role("heading", name="Drifting away")).to_be_visible()
    drifting = signals.locator(".signal-drifting .signal").filter(has_text="Daan Drift")
    expect(drifting.locator(".signal-reason")).to_contain_text(
        "0 activities in the last 6 weeks, against 15 in the 18 weeks before"
    )

    # The name in the network is hidden until the node is hovered or focused.
    node = tab.locator(f'.chart-network a[data-member="{circle["daan"].pk}"]')
    label = node.locator("text.net-label")
    expect(label).to_be_hidden()
    node.focus()
    expect(label).to_be_visible()
    expect(label).to_have_text("Daan Drift")
    screenshot(tab, "insights-dashboard")

    # "This week": the card swaps in place (htmx); after a reload it is in the log.
    card = tab.locator("#this-week .action-card").filter(has_text="Call Daan Drift")
    card.locator(".action-note summary").click()
    card.get_by_label("Note (optional)").fill("Called him, he is busy with a move")
    card_id = card.get_attribute("id")
    with tab.expect_response(
        lambda r: "/suggestions/" in r.url and r.request.method == "POST"
    ) as answer:
        card.get_by_role("button", name="Done").click()
    assert answer.value.status == 200
    expect(tab.locator(f"#{card_id}")).to_contain_text("Marked as done.")
    tab.reload()
    expect(tab.locator(".action-card").filter(has_text="Call Daan Drift")).to_have_count(0)
    log = tab.locator(".suggestion-log")
    expect(log).to_contain_text("Call Daan Drift")
    expect(log).to_contain_text("Called him, he is busy with a move")


def test_later_without_javascript_goes_back_to_the_dashboard(browser, live_server, log_in, circle):
    """With JavaScript off the buttons are plain forms: 'Later' comes back to the dashboard,
    says so, and the card is gone for now."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    tab = context.new_page()
    context.set_default_timeout(15_000)
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")
    tab.goto("/communities/wijkzorg-noord/insights/")
    card = tab.locator("#this-week .action-card").filter(has_text="Call Daan Drift")
    with tab.expect_navigation():
        card.get_by_role("button", name="Later").click()
    assert tab.url.endswith("/communities/wijkzorg-noord/insights/#this-week")
    expect(tab.locator(".messages")).to_contain_text("Put off for a week.")
    expect(tab.locator(".action-card").filter(has_text="Call Daan Drift")).to_have_count(0)
    context.close()


def test_network_list_loads_when_opened(open_tab, log_in, circle):
    """The people per group are not in the dashboard: opening "show as a list" loads them in
    place."""
    tab = open_tab()
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")
    tab.goto("/communities/wijkzorg-noord/insights/")
    details = tab.locator("details.network-list")
    expect(details.locator(".network-people")).to_have_count(0)
    with tab.expect_response(lambda r: "/insights/network/" in r.url and r.status == 200):
        details.locator("summary").click()
    expect(details.locator(".network-people").first).to_contain_text("Daan Drift")


def test_thresholds_form_loads_when_opened_and_saves(open_tab, log_in, circle):
    """The thresholds form is not in the dashboard: opening "Thresholds" loads it in place,
    and saving a value brings the facilitator back with it stored."""
    from kring.insights.models import InsightSettings

    tab = open_tab()
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")
    tab.goto("/communities/wijkzorg-noord/insights/")
    section = tab.locator("#settings")
    expect(section.locator("form.insights-settings-form")).to_have_count(0)
    with tab.expect_response(lambda r: "/insights/settings/" in r.url and r.status == 200):
        section.locator("summary").click()
    field = section.locator('input[name="window_days"]')
    expect(field).to_be_visible()
    field.fill("21")
    section.get_by_role("button", name="Save thresholds").click()
    expect(tab.locator(".message")).to_contain_text("Thresholds saved")
    assert InsightSettings.objects.get(community=circle["community"]).window_days == 21
