"""One member asks a question (mentioning a colleague through the @-autocomplete, with the
writing box's toolbar and preview), the colleague answers, the asker accepts the answer and the
colleague sees the notification: two people, two browser sessions, a real headless Chromium
against a live server."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "wijkzorg-kring-2026"
QUESTION = "Hoe krijgen we huisartsen aan tafel?"


@pytest.fixture
def people(transactional_db):
    """Anna (facilitator) and Bram (member) in "Wijkzorg Noord", both reading Kring in English."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities import services as community_services

    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    anna.user_permissions.add(Permission.objects.get(codename="add_community"))
    anna = User.objects.get(pk=anna.pk)
    bram = User.objects.create_user(
        "bram@example.org", PASSWORD, full_name="Bram Visser", language="en"
    )
    community = community_services.community_create(
        by=anna, name="Wijkzorg Noord", slug="wijkzorg-noord"
    )
    community_services.membership_add(community=community, user=bram, by=anna)
    return {"community": community, "anna": anna, "bram": bram}


def test_ask_answer_accept_and_notify(open_tab, log_in, people, screenshot):
    """Anna asks and mentions Bram, Bram is told and answers, Anna accepts the answer, and
    Bram's bell shows the accepted answer."""
    anna_tab, bram_tab = open_tab(), open_tab()
    log_in(anna_tab, "anna@example.org", PASSWORD, "Anna de Wit")
    log_in(bram_tab, "bram@example.org", PASSWORD, "Bram Visser")
    slug = people["community"].slug

    # Anna asks, and mentions Bram by choosing him from the @-list with the keyboard.
    anna_tab.goto(f"/communities/{slug}/")
    anna_tab.locator(".tabs a", has_text="Questions & discussions").click()
    anna_tab.goto(f"/communities/{slug}/conversations/create/?kind=question")
    anna_tab.fill("#id_title", QUESTION)
    body = anna_tab.locator("#id_body")
    body.click()
    body.type("Wie heeft hier ervaring mee? @Bra")
    option = anna_tab.locator(".mention-options [role=option]", has_text="Bram Visser")
    expect(option).to_be_visible()
    body.press("Enter")
    # She sees his name; the form carries his id beside the text for the server.
    expect(body).to_have_value("Wie heeft hier ervaring mee? @Bram Visser ")
    expect(anna_tab.locator("input[name=body_mentions]")).to_have_value(str(people["bram"].pk))
    # The toolbar puts bold marks around the selection; the preview shows it rendered.
    body.evaluate("area => area.setSelectionRange(4, 9)")
    anna_tab.locator(".thread-form .writing-tool[data-wrap]").click()
    expect(body).to_have_value("Wie **heeft** hier ervaring mee? @Bram Visser ")
    with anna_tab.expect_response(lambda response: "/preview/text/" in response.url) as answer:
        anna_tab.locator(".thread-form .writing-preview-toggle").click()
    assert answer.value.status == 200
    expect(anna_tab.locator(".thread-form .writing-preview strong")).to_have_text("heeft")
    screenshot(anna_tab, "conversations-ask")
    anna_tab.locator("form.thread-form button[type=submit]").click()
    expect(anna_tab.locator("main h1, main h2").filter(has_text=QUESTION).first).to_be_visible()
    expect(anna_tab.locator(".thread-opening a", has_text="Bram Visser")).to_have_attribute(
        "href", f"/people/{people['bram'].pk}/"
    )
    thread_url = anna_tab.url

    # Bram's bell counts the mention; the notification takes him to the question.
    bram_tab.goto("/")
    bell = bram_tab.locator("a.nav-icon[href='/notifications/']")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    bell.click()
    expect(bram_tab.locator(".notification-row.is-unread")).to_have_count(1)
    bram_tab.locator(".notification-row a", has_text=QUESTION).first.click()
    expect(bram_tab).to_have_url(thread_url)
    bram_tab.fill(
        ".reply-form textarea[name=body]", "Nodig ze uit voor een korte lunch in de wijk."
    )
    bram_tab.locator(".reply-form button[type=submit]").last.click()
    expect(bram_tab.locator(".reply").filter(has_text="korte lunch")).to_have_count(1)

    # Anna accepts Bram's answer.
    anna_tab.reload()
    reply = anna_tab.locator(".reply").filter(has_text="korte lunch")
    reply.locator("button", has_text="Accept as the answer").click()
    expect(anna_tab.locator(".badge-answered").first).to_have_text("Answered")
    expect(anna_tab.locator(".reply-accepted")).to_contain_text("korte lunch")
    screenshot(anna_tab, "conversations-answered")

    # Bram sees that his answer was accepted.
    bram_tab.goto("/")
    expect(bram_tab.locator("a.nav-icon[href='/notifications/']")).to_have_attribute(
        "aria-label", "Notifications, 1 unread"
    )
    bram_tab.goto("/notifications/")
    unread = bram_tab.locator(".notification-row.is-unread")
    expect(unread).to_have_count(1)
    expect(unread).to_contain_text("accepted")
    expect(unread).to_contain_text(QUESTION)
    screenshot(bram_tab, "conversations-notifications")
