"""The session's materials picker on a phone (390 px): fetched when "Choose materials" is
opened, it lists the latest library items, and typing a title finds an older one through
the server's lookup."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "leerkring-materiaal-2026"


@pytest.fixture
def scene(make_founder, plan):
    """Fenna (facilitator) plans next week's session; the library holds an old toolkit and
    more recent hand-outs than the picker lists."""
    from kring.knowledge.services import item_create
    from kring.meetings import selectors

    fenna, community = make_founder("fenna@example.org", PASSWORD, "Fenna de Boer", language="en")
    old = item_create(
        community=community, by=fenna, kind="toolkit", title="Gesprekskaarten regiotaxi"
    )
    for n in range(selectors.MATERIAL_CHOICES + 2):
        item_create(community=community, by=fenna, kind="handout", title=f"Hand-out {n:02d}")
    session = plan(community, fenna, days=7, title="Leerkring", mode="offline")
    return {"session": session, "old": old}


def test_an_older_item_found_by_title_on_a_phone(
    open_tab, log_in, scene, screenshot, pick_from_server
):
    """Fenna opens the picker, types part of the old toolkit's title, the server's answer
    offers it, and after saving it is the session's material; no sideways scrolling."""
    tab = open_tab()
    tab.set_viewport_size({"width": 390, "height": 844})
    log_in(tab, "fenna@example.org", PASSWORD, "Fenna de Boer")
    tab.goto(scene["session"].get_absolute_url())
    with tab.expect_response(
        lambda r: r.url.endswith("/materials/") and r.status == 200, timeout=30_000
    ):
        tab.locator("summary", has_text="Choose materials from the library").click()
    pick_from_server(
        tab, "id_items-ts-control", "regio", "/materials/lookup/", "Gesprekskaarten regiotaxi"
    )
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(tab, "session-materials-picker-390")
    # A list that takes more than one item stays open after a choice; the tap on the button
    # closes it, and the button must not move away from under that tap (a long title fills
    # the box's line, so the search box sits on a line of its own, focused or not).
    tab.locator("button", has_text="Save materials").click()
    expect(tab.locator(".message-success")).to_contain_text("The materials are saved.")
    expect(tab.locator(".session-materials")).to_contain_text("Gesprekskaarten regiotaxi")
    assert list(scene["session"].materials.all()) == [scene["old"]]
