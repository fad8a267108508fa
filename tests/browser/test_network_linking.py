"""Two communities link into a regional network, each side agreeing; the coordinator sees the
bridge between them; a facilitator shares a practice story with the network, a member of the
other community finds it and marks it useful, and the source sees the mark: a real headless
Chromium against a live server, on a phone."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "netwerk-kring-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def region(transactional_db):
    """Rita coordinates "Zorg Gelderland" and facilitates "Zorg Tiel" (linked already); Sam
    facilitates "Zorg Zaltbommel"; Mo is a member of both communities."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.knowledge.services import item_create
    from kring.networks import services as network_services

    def person(email, name, *, create=False):
        user = User.objects.create_user(email, PASSWORD, full_name=name, language="en")
        if create:
            user.user_permissions.add(Permission.objects.get(codename="add_community"))
            user.user_permissions.add(Permission.objects.get(codename="add_network"))
        return User.objects.get(pk=user.pk)

    rita = person("rita@example.org", "Rita Regio", create=True)
    sam = person("sam@example.org", "Sam Samen", create=True)
    mo = person("mo@example.org", "Mo Midden")
    zoe = person("zoe@example.org", "Zoë Zaltbommel")
    tiel = community_services.community_create(by=rita, name="Zorg Tiel", slug="zorg-tiel")
    bommel = community_services.community_create(
        by=sam, name="Zorg Zaltbommel", slug="zorg-zaltbommel"
    )
    for community, by in ((tiel, rita), (bommel, sam)):
        community_services.membership_add(community=community, user=mo, role="member", by=by)
    community_services.membership_add(community=bommel, user=zoe, role="member", by=sam)
    item_create(
        community=tiel,
        by=rita,
        kind="practice_story",
        title="Buren als mantelzorgers",
        body="Wat we leerden toen buren elkaar gingen helpen.",
    )
    network = network_services.network_create(
        by=rita, slug="zorg-gelderland", name="Zorg Gelderland", level="regional"
    )
    network_services.link_request(network=network, community=tiel, by=rita)
    return network


def test_a_facilitator_asks_and_the_coordinator_accepts(
    browser, live_server, log_in, region, screenshot
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    problems = []

    sam = context.new_page()
    sam.on("pageerror", lambda error: problems.append(str(error)))
    log_in(sam, "sam@example.org", PASSWORD, "Sam")
    sam.goto("/networks/zorg-gelderland/")
    expect(sam.get_by_role("heading", name="Zorg Gelderland")).to_be_visible()
    expect(sam.locator("main")).not_to_contain_text("Zorg Zaltbommel")
    sam.get_by_role("link", name="Ask to join with your community").click()
    sam.get_by_label("Community").select_option(label="Zorg Zaltbommel")
    sam.get_by_label("A word for the other side").fill("We work on the same question.")
    sam.get_by_role("button", name="Send").click()
    expect(sam.locator("main")).to_contain_text("Your community asked to join")
    screenshot(sam, "network-asked-phone")
    sam.close()
    context.clear_cookies()

    rita = context.new_page()
    rita.on("pageerror", lambda error: problems.append(str(error)))
    log_in(rita, "rita@example.org", PASSWORD, "Rita")
    rita.goto("/networks/zorg-gelderland/communities/")
    row = rita.locator("li", has_text="Zorg Zaltbommel")
    expect(row).to_contain_text("Asks to join")
    expect(row).to_contain_text("We work on the same question.")
    row.get_by_role("button", name="Accept").click()
    expect(rita.locator("li", has_text="Zorg Zaltbommel")).to_contain_text("Linked")

    rita.goto("/networks/zorg-gelderland/insights/")
    bridges = rita.locator("section", has_text="Bridges between communities")
    expect(bridges).to_contain_text("1 person takes part in more than one community")
    # Rita is not in Zaltbommel: the bridge is counted, not named.
    expect(bridges).to_contain_text("1 shared member")
    expect(bridges).not_to_contain_text("Mo Midden")
    screenshot(rita, "network-insights-phone")

    # Rita shares her community's practice story with the network, from its own page.
    rita.goto("/communities/zorg-tiel/library/")
    rita.get_by_role("link", name="Buren als mantelzorgers").click()
    sharing = rita.locator("section", has_text="In the networks")
    sharing.get_by_role("button", name="Share with this network").click()
    expect(rita.locator("section", has_text="In the networks")).to_contain_text("Shared")
    story_url = rita.url
    rita.close()
    context.clear_cookies()

    # Zoë, in Zaltbommel only, finds it in the network and marks it useful.
    zoe = context.new_page()
    zoe.on("pageerror", lambda error: problems.append(str(error)))
    log_in(zoe, "zoe@example.org", PASSWORD, "Zoë")
    zoe.goto("/networks/zorg-gelderland/")
    zoe.get_by_role("link", name="Shared in the network").click()
    zoe.get_by_label("Search what is shared").fill("mantelzorgers")
    zoe.get_by_role("button", name="Search").click()
    zoe.get_by_role("link", name="Buren als mantelzorgers").click()
    expect(zoe.locator("main")).to_contain_text("from Zorg Tiel")
    zoe.get_by_role("button", name="This helped me").click()
    expect(zoe.locator("main")).to_contain_text("You found this useful.")
    screenshot(zoe, "network-shared-item-phone")
    zoe.close()
    context.clear_cookies()

    # Back at the source, Rita sees the mark.
    rita = context.new_page()
    log_in(rita, "rita@example.org", PASSWORD, "Rita")
    rita.goto(story_url)
    expect(rita.locator(".useful-count")).to_contain_text("1 person found this useful")
    context.close()
    assert not problems, problems
