"""The thread page has one reply form: "Reply to <name>" moves it under that reply (with
JavaScript), Cancel moves it back, and the reply lands nested under the one it answers. On a
phone, as most members read."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "wijkzorg-kring-2026"


@pytest.fixture
def thread(transactional_db):
    """A discussion by Anna with a reply by Bram and one by Anna herself."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities import services as community_services
    from kring.conversations.services import threads as thread_services

    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="nl"
    )
    anna.user_permissions.add(Permission.objects.get(codename="add_community"))
    anna = User.objects.get(pk=anna.pk)
    bram = User.objects.create_user(
        "bram@example.org", PASSWORD, full_name="Bram Visser", language="nl"
    )
    community = community_services.community_create(
        by=anna, name="Wijkzorg Noord", slug="wijkzorg-noord"
    )
    community_services.membership_add(community=community, user=bram, by=anna)
    thread = thread_services.thread_create(
        community=community,
        by=anna,
        kind="discussion",
        title="Buurtlunch in januari?",
        body="Wie doet mee aan een buurtlunch?",
    )
    bram_reply = thread_services.reply_create(thread=thread, by=bram, body="Goed plan, ik help.")
    thread_services.reply_create(thread=thread, by=anna, body="Ik zoek nog een ruimte.")
    return {"thread": thread, "bram_reply": bram_reply}


def test_reply_to_a_reply_on_a_phone(open_tab, log_in, thread):
    tab = open_tab()
    tab.set_viewport_size({"width": 390, "height": 844})
    log_in(tab, "anna@example.org", PASSWORD, "Anna de Wit")
    tab.goto(thread["thread"].get_absolute_url())
    card = tab.locator("[data-reply-card]")
    title = tab.locator("#reply-title")
    expect(title).to_have_text("Je reactie")

    # "Reageer op Bram Visser" brings the one form under Bram's reply, aimed at it.
    tab.locator("a[data-reply-to]", has_text="Bram Visser").click()
    expect(title).to_have_text("Reageer op Bram Visser")
    expect(card.locator("input[name=parent]")).to_have_value(str(thread["bram_reply"].pk))
    bram_item = tab.locator(".reply-list > li").filter(has_text="Goed plan, ik help.")
    expect(bram_item.locator("[data-reply-card]")).to_have_count(1)
    expect(card.locator("textarea[name=body]")).to_be_focused()

    # Cancel sends it back to the end of the thread, answering the thread again.
    card.locator("[data-reply-cancel] a").click()
    expect(title).to_have_text("Je reactie")
    expect(card.locator("input[name=parent]")).to_have_value("")
    expect(bram_item.locator("[data-reply-card]")).to_have_count(0)

    # Again, and this time send it: the reply is shown nested under Bram's.
    tab.locator("a[data-reply-to]", has_text="Bram Visser").click()
    card.locator("textarea[name=body]").fill("Dank je, Bram! Zaterdag 10 uur?")
    card.locator("button[type=submit]").click()
    nested = tab.locator(".reply-children").filter(has_text="Zaterdag 10 uur?")
    expect(nested).to_have_count(1)
    expect(
        tab.locator(".reply-list > li")
        .filter(has_text="Goed plan, ik help.")
        .locator(".reply-children")
    ).to_contain_text("Zaterdag 10 uur?")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
