"""A member shares a lesson learned through the library form, finds it again by searching for
another form of the same words, and is pointed to a colleague who knows about the topic, in a
real headless Chromium against a live server."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "mantelzorg-kring-2026"
LESSON_TITLE = "Mantelzorgers te laat betrokken bij de begeleiding"


@pytest.fixture
def tab(browser, live_server):
    """A fresh browser tab (own cookies) pointed at the live server; fails on page errors."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"JavaScript errors on the page: {problems}"


@pytest.fixture
def mantelzorg_community(transactional_db):
    """ "Samen voor mantelzorgers" with Anna (who will share) and Bram, who says he can help
    with mantelzorg. Both read Kring in English, so the test reads the English source text."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.accounts.services import profile_update
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
        by=anna, name="Samen voor mantelzorgers", slug="samen-voor-mantelzorgers"
    )
    community_services.membership_add(community=community, user=bram, by=anna)
    profile_update(user=bram, by=bram, help_tags=["mantelzorg"])
    return {"community": community, "anna": anna, "bram": bram}


def _log_in(page, email: str, name: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("nav.site-nav")).to_contain_text(name)


def test_member_shares_a_lesson_and_finds_it_and_who_knows(tab, mantelzorg_community, screenshot):
    """Anna shares a lesson learned; a search for "mantelzorger" finds it and suggests Bram
    (who can help with mantelzorg) but not Anna herself; "begeleiders" finds it too."""
    page = tab
    slug = mantelzorg_community["community"].slug
    _log_in(page, "anna@example.org", "Anna de Wit")

    page.goto(f"/communities/{slug}/")
    page.locator(".tabs a", has_text="Library").click()
    expect(page.locator(".tabs a[aria-current=page]")).to_have_text("Library")
    expect(page.locator("#library-results")).to_contain_text("The library is still empty")

    page.locator(".share-actions a", has_text="Share a lesson learned").click()
    expect(page.locator("main h2").first).to_have_text("Share a lesson learned")
    expect(page.locator("#id_kind")).to_have_value("lesson_learned")
    expect(page.locator(".lesson-intro")).to_contain_text("Failures are welcome here.")
    # A lesson learned asks four questions instead of one free text.
    expect(page.locator("#id_body")).to_be_hidden()
    page.fill("#id_title", LESSON_TITLE)
    page.fill(
        "#id_tried",
        "We organiseerden een informatieavond over begeleiding voor mantelzorgers in de wijk.",
    )
    page.fill("#id_went_wrong", "Er kwam bijna niemand: de avond viel samen met de zorgtaken.")
    page.fill("#id_learned", "Vraag mantelzorgers eerst wanneer zij kunnen, en regel vervanging.")
    page.fill("#id_differently", "Overdag, kort, met respijtzorg geregeld.")
    page.fill("#id_tags", "mantelzorg, begeleiding")
    screenshot(page, "library-lesson-form")
    page.locator("form.item-form button[type=submit]").click()

    expect(page.locator("#item-title")).to_have_text(LESSON_TITLE)
    expect(page.locator(".messages")).to_contain_text("Thank you for sharing what you learned")
    expect(page.locator(".badge").first).to_have_text("Lesson learned")
    expect(page.locator(".lesson-sections h3")).to_have_text(
        [
            "What we tried",
            "What went wrong",
            "What we learned",
            "What we would do differently",
        ]
    )
    expect(page.locator(".lesson-sections")).to_contain_text("regel vervanging")
    expect(page.locator(".byline-people")).to_contain_text("Anna de Wit")
    screenshot(page, "library-item-detail")

    page.locator(".back-link a").click()
    expect(page.locator("#library-results .item-card h3")).to_have_text([LESSON_TITLE])
    screenshot(page, "library-list")

    page.locator(".tabs a", has_text="Search").click()
    page.fill("#id_q", "mantelzorger")
    page.locator("#id_q").press("Enter")
    hits = page.locator(".search-hit")
    expect(hits.filter(has_text=LESSON_TITLE)).to_have_count(1)
    expect(hits.filter(has_text=LESSON_TITLE).locator("mark").first).to_be_visible()
    who_knows = page.locator("section[aria-labelledby=who-knows-title]")
    expect(who_knows.locator(".person-name")).to_have_text(["Bram Visser"])
    expect(who_knows).to_contain_text("Can help with mantelzorg")
    expect(who_knows).not_to_contain_text("Anna de Wit")
    screenshot(page, "library-search-results")

    page.fill("#id_q", "begeleiders")
    page.locator("#id_q").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("begeleiders")
    expect(page.locator(".search-hit", has_text=LESSON_TITLE)).to_have_count(1)
