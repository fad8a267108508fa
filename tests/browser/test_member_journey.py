"""A demo member logs in, finds their community, filters the members directory and switches
the interface to English, in a real headless Chromium against a live server."""

import re

import pytest
from playwright.sync_api import expect

from kring.accounts.models import User
from kring.communities.models import Membership, Role
from kring.communities.views import DIRECTORY_PAGE_SIZE

pytestmark = pytest.mark.browser


def _member_with_a_varied_community():
    """A demo member (not a facilitator) of a community whose members hold several perspectives."""
    for membership in (
        Membership.objects.filter(role=Role.MEMBER, user__is_active=True)
        .select_related("user", "community")
        .order_by("community__name", "user__email")
    ):
        perspectives = set(
            Membership.objects.filter(community=membership.community).values_list(
                "user__perspectives__key", flat=True
            )
        ) - {None}
        if len(perspectives) >= 2 and membership.user.has_usable_password():
            return membership.user, membership.community
    raise AssertionError("seed-demo made no member in a community with several perspectives")


def _first_number(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def _log_in(page, user: User, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()


def test_member_filters_directory_and_switches_to_english(page, demo, screenshot):
    """A member logs in, opens their community's directory, filters it by perspective with
    htmx (the list updates and the URL keeps the filter), then switches to English."""
    user, community = _member_with_a_varied_community()

    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    screenshot(page, "01-login")
    _log_in(page, user, demo.password)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    card = page.locator(".week-communities a", has_text=community.name)
    expect(card).to_be_visible()
    screenshot(page, "02-home")

    card.click()
    expect(page).to_have_url(re.compile(rf"/communities/{community.slug}/$"))
    expect(page.locator("h1")).to_have_text(community.name)
    screenshot(page, "03-community")
    screenshot(page, "readme-community", full_page=False)

    page.locator(f"nav a[href='/communities/{community.slug}/members/']").first.click()
    expect(page).to_have_url(re.compile(rf"/communities/{community.slug}/members/$"))
    people = page.locator("#directory-results .people-list > li")
    expect(people.first).to_be_visible()
    count = page.locator("#directory-results .result-count")
    total = _first_number(count.inner_text())
    screenshot(page, "04-members")

    # The perspective that narrows the list most; the option reads "Name (count)".
    options = [
        (int(m.group(2)), option.get_attribute("value"), m.group(1))
        for option in page.locator("#id_perspective option:not([value=''])").all()
        if (m := re.fullmatch(r"(.+) \((\d+)\)", option.inner_text().strip()))
    ]
    expected, key, name = min(options)
    assert expected < total, "the demo community should have a perspective not everyone has"

    # A marker on window survives only if htmx swaps the results instead of loading a page.
    page.evaluate("window.kringNoReload = true")
    page.select_option("#id_perspective", key)

    expect(page).to_have_url(re.compile(rf"[?&]perspective={re.escape(key)}(&|$)"))
    expect(count).to_have_text(re.compile(rf"^\s*{expected}\b"))
    expect(people).to_have_count(min(expected, DIRECTORY_PAGE_SIZE))
    for person in people.all():
        expect(person).to_contain_text(name)
    assert page.evaluate("window.kringNoReload") is True, "the directory reloaded the page"
    screenshot(page, "05-members-filtered")

    page.locator("summary.menu-button").click()  # the language switch sits in the header menu
    page.locator(".lang-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".tabs a[aria-current=page]")).to_have_text("Members")
    expect(page.locator("label[for=id_perspective]")).to_have_text("Perspective")

    page.goto("/communities/mine/")
    expect(page.locator("h1")).to_have_text("My communities")

    page.locator(f"nav.site-nav a[href='/people/{user.pk}/']").click()
    expect(page.locator("h1")).to_have_text(user.full_name)
    screenshot(page, "06-profile")
