"""The action point's owner picker on a phone (390 px): it lists the people at the session,
and typing a name finds any other member through the server's lookup."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "leerkring-eigenaar-2026"
ACTION = "De wijkagent uitnodigen"


@pytest.fixture
def scene(make_founder, plan):
    """Fenna (facilitator) held yesterday's session; Anna (member) attended; Zoë is a member
    who was not there."""
    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.meetings import services

    fenna, community = make_founder("fenna@example.org", PASSWORD, "Fenna de Boer", language="en")
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    zoe = User.objects.create_user("zoe@example.org", PASSWORD, full_name="Zoë Verweg")
    for person in (anna, zoe):
        community_services.membership_add(community=community, user=person, by=fenna)
    session = plan(community, fenna, days=-1, title="Leerkring", mode="offline")
    services.attendance_set(session=session, by=fenna, user=anna, status="attended")
    return {"session": session, "zoe": zoe}


def test_owner_found_by_name_on_a_phone(open_tab, log_in, scene, screenshot, pick_from_server):
    """Anna types part of Zoë's name, the server's answer offers her, and the action point
    is Zoë's; the page does not scroll sideways at 390 px."""
    from kring.meetings.models import ActionPoint

    tab = open_tab()
    tab.set_viewport_size({"width": 390, "height": 844})
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")
    tab.goto(scene["session"].get_absolute_url())
    tab.locator("summary", has_text="Add an action point").click()
    tab.fill("#id_ap-what", ACTION)
    expect(tab.locator("#id_ap-owner-ts-control")).to_be_attached()
    # With the picker the typed-name field for browsers without JavaScript is hidden.
    expect(tab.locator("#id_ap-owner_name")).to_be_hidden()
    # You are chosen at first; typing finds Zoë through the server.
    pick_from_server(tab, "id_ap-owner-ts-control", "Verw", "/members/lookup/", "Zoë Verweg")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(tab, "action-point-owner-picker-390")
    expect(tab.locator(".ts-dropdown").first).to_be_hidden()
    tab.locator("button", has_text="Add action point").click()
    expect(tab.locator("#action-points")).to_contain_text(ACTION)
    assert ActionPoint.objects.get(what=ACTION).owner == scene["zoe"]
