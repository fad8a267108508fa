"""A card's secondary actions sit in a menu that works by keyboard, removing someone takes a
confirmation, and a visitor can ask a public community's facilitators to join."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kring.communities.models import JoinRequest, Membership, Visibility

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def community(transactional_db, make_user, make_community):
    facilitator = make_user(full_name="Fenna Facilitator", password=PASSWORD)
    return make_community(
        by=facilitator, name="Zorg thuis", slug="zorg-thuis", visibility=Visibility.PUBLIC
    )


def test_facilitator_removes_member_by_keyboard_after_confirming(
    community, make_member, open_tab, log_in
):
    """The Manage menu opens with the keyboard; its remove item leads to a confirmation, and
    only the confirmation removes the member."""
    target = make_member(community, full_name="Tara Target").user
    facilitator = community.created_by
    tab = open_tab()
    log_in(tab, facilitator.email, PASSWORD, "Fenna Facilitator")
    tab.goto("/communities/zorg-thuis/members/")
    card = tab.locator(".people-list > li", has_text="Tara Target")
    remove = card.locator("details.menu a.menu-danger")
    expect(remove).to_be_hidden()
    card.locator("details.menu > summary").focus()
    tab.keyboard.press("Enter")
    expect(remove).to_be_visible()
    remove.focus()
    with tab.expect_response(lambda r: r.url.endswith(f"/members/{target.pk}/remove/")):
        tab.keyboard.press("Enter")
    expect(tab.locator("#confirm-title")).to_contain_text("Tara Target")
    assert Membership.objects.filter(community=community, user=target).exists()
    with tab.expect_response(lambda r: r.request.method == "POST" and "/remove/" in r.url):
        tab.locator("button[data-primary-action]").click()
    expect(tab.locator("#directory-results")).not_to_contain_text("Tara Target")
    assert not Membership.objects.filter(community=community, user=target).exists()


def test_visitor_asks_to_join(community, open_tab):
    """An anonymous visitor follows the page's main action to the form, sends it, and the
    facilitator receives the message by e-mail."""
    mail.outbox.clear()
    tab = open_tab()
    tab.goto("/communities/zorg-thuis/")
    tab.locator("a[data-primary-action]").click()
    form = tab.locator("#join form")
    form.locator("input[name=name]").fill("Vera Visitor")
    form.locator("input[name=email]").fill("vera@example.org")
    form.locator("textarea[name=message]").fill("I run a care café and would like to learn.")
    with tab.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/join/")):
        form.locator("button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/communities/zorg-thuis/$"))
    request = JoinRequest.objects.get()
    assert (request.community, request.email) == (community, "vera@example.org")
    assert [m.to for m in mail.outbox] == [[community.created_by.email]]
