"""A facilitator opens the insights dashboard with a snapshot, reads a signal with its reason,
focuses a person in the network with the keyboard and sees their name, and marks a suggestion
done: a real headless Chromium against a live server."""

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
def circle(transactional_db):
    """Anna facilitates "Wijkzorg Noord"; Daan replied eight times ten weeks ago and has been
    quiet since; Sanne is steady. A snapshot is computed, as the background task would."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.core.models import Verb
    from kring.core.services import activity_record
    from kring.insights import services

    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    anna.user_permissions.add(Permission.objects.get(codename="add_community"))
    anna = User.objects.get(pk=anna.pk)
    community = community_services.community_create(
        by=anna, name="Wijkzorg Noord", slug="wijkzorg-noord"
    )
    daan = User.objects.create_user("daan@example.org", PASSWORD, full_name="Daan Drift")
    sanne = User.objects.create_user("sanne@example.org", PASSWORD, full_name="Sanne Steady")
    for person in (daan, sanne):
        community_services.membership_add(community=community, user=person, by=anna)
    now = timezone.now()
    for n in range(8):
        activity_record(
            actor=daan,
            verb=Verb.REPLIED,
            community=community,
            other=sanne,
            at=now - timedelta(days=70 + n),
        )
    for n in range(3):
        activity_record(
            actor=sanne,
            verb=Verb.REPLIED,
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
        "0 activities in the last 6 weeks, against 8 in the 18 weeks before"
    )

    # The name in the network is hidden until the node is hovered or focused.
    node = tab.locator(f'.chart-network a[data-member="{circle["daan"].pk}"]')
    label = node.locator("text.net-label")
    expect(label).to_be_hidden()
    node.focus()
    expect(label).to_be_visible()
    expect(label).to_have_text("Daan Drift")
    screenshot(tab, "insights-dashboard")

    suggestion = tab.locator(".suggestion").filter(has_text="Call Daan Drift")
    suggestion.get_by_label("Note").fill("Called him, he is busy with a move")
    suggestion.get_by_role("button", name="Done").click()
    expect(tab.locator(".messages")).to_contain_text("Noted")
    expect(tab.locator(".suggestion").filter(has_text="Call Daan Drift")).to_have_count(0)
    log = tab.locator(".suggestion-log")
    expect(log).to_contain_text("Call Daan Drift")
    expect(log).to_contain_text("Called him, he is busy with a move")
