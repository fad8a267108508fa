"""The app's frame on a phone: the skip link, the header menu by keyboard, the community's
sections as one strip, and no page wider than the screen."""

import pytest
from playwright.sync_api import expect

from kring.communities.services import membership_add

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def member_in_community(transactional_db, make_user, make_community):
    facilitator = make_user(full_name="Anna Facilitator", can_create=True, password=PASSWORD)
    community = make_community(by=facilitator, name="Samen sterker in de wijk")
    member = make_user(full_name="Bram Member", password=PASSWORD)
    membership_add(community=community, user=member, by=facilitator)
    return community, member


def _phone_tab(open_tab):
    tab = open_tab()
    tab.set_viewport_size({"width": 390, "height": 800})
    return tab


def test_phone_header_menu_by_keyboard(open_tab, log_in, member_in_community):
    """On a phone the menu opens with Enter, shows the main links, and Escape closes it and
    gives focus back to the button; the skip link shows on the first Tab and leads to main."""
    community, member = member_in_community
    tab = _phone_tab(open_tab)
    log_in(tab, member.email, PASSWORD, member.full_name)
    with tab.expect_response(lambda r: r.url.endswith(community.get_absolute_url())):
        tab.goto(community.get_absolute_url())

    expect(tab.locator("nav.site-nav")).to_be_hidden()
    tab.keyboard.press("Tab")
    skip = tab.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    tab.keyboard.press("Enter")
    expect(tab.locator("main")).to_be_focused()

    summary = tab.locator("summary.menu-button")
    summary.focus()
    tab.keyboard.press("Enter")
    menu = tab.locator("details.site-menu")
    expect(menu).to_have_attribute("open", "")
    expect(tab.locator(".menu-main a[href='/communities/']")).to_be_visible()
    expect(tab.locator(".menu-panel .logout-form button")).to_be_visible()
    tab.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()


def test_phone_section_strip_scrolls_inside_itself(open_tab, log_in, member_in_community):
    """The community's sections are one row that scrolls by itself, with the current one in
    view, and the page is no wider than the phone."""
    community, member = member_in_community
    tab = _phone_tab(open_tab)
    log_in(tab, member.email, PASSWORD, member.full_name)
    members_url = f"/communities/{community.slug}/members/"
    with tab.expect_response(lambda r: r.url.endswith(members_url)):
        tab.goto(members_url)
    strip = tab.locator("[data-strip]")
    current = strip.locator("a[aria-current=page]")
    expect(current).to_be_in_viewport()
    tops = strip.locator("li").evaluate_all("items => new Set(items.map(i => i.offsetTop)).size")
    assert tops == 1, "the sections wrapped onto more than one row"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
