"""A facilitator follows the development path on a phone: she reads the path, sees the next
step (the room to experiment) and records the mandate; then she runs a date poll for the next
session, a member votes on her phone too, and the facilitator plans the winning date as a
session: a real headless Chromium against a live server."""

import os
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.utils import formats, timezone, translation  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "wijkzorg-kring-2026"
PHONE = {"width": 390, "height": 844}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The page waits as long as an action may: on a busy machine a page can take over 5 s.
PATIENCE_MS = 15_000
QUESTION = "When do we meet next?"
SESSION_TITLE = "Neighbours visit: first try"
ADDRESS = "Buurthuis De Linde, Kerkstraat 12"


@pytest.fixture
def circle(transactional_db):
    """Anna (municipality) facilitates "Wijkzorg Noord": theme, goal and urgency written, a
    target mix met by Bea, a citizen member. The first step not done is the mandate. Both read
    Kring in English."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import Perspective, User
    from kring.communities import services as community_services
    from kring.communities.models import Role

    # A transactional test's flush empties the perspectives a data migration added.
    for key, name in (("municipality", "Municipality"), ("citizen", "Citizen")):
        Perspective.objects.get_or_create(key=key, defaults={"name_en": name, "name_nl": name})
    anna = User.objects.create_user(
        "anna@example.org", PASSWORD, full_name="Anna de Wit", language="en"
    )
    anna.user_permissions.add(Permission.objects.get(codename="add_community"))
    anna = User.objects.get(pk=anna.pk)
    anna.perspectives.add(Perspective.objects.get(key="municipality"))
    community = community_services.community_create(
        by=anna,
        name="Wijkzorg Noord",
        slug="wijkzorg-noord",
        theme="Care in the neighbourhood",
        shared_goal="Nobody waits alone",
        urgency="Waiting lists grow",
        target_mix={"municipality": 50, "citizen": 50},
    )
    bea = User.objects.create_user(
        "bea@example.org", PASSWORD, full_name="Bea Burger", language="en"
    )
    bea.perspectives.add(Perspective.objects.get(key="citizen"))
    community_services.membership_add(community=community, user=bea, role=Role.MEMBER, by=anna)
    return community


@pytest.fixture
def phone_tab(browser, live_server):
    """phone_tab() gives a fresh 390 px tab with its own cookies (one per person); JavaScript
    errors on any of them fail the test."""
    contexts, problems = [], []

    def make():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(PATIENCE_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(str(error)))
        return tab

    yield make
    for context in contexts:
        context.close()
    assert not problems, f"JavaScript errors on the page: {problems}"


@pytest.fixture(autouse=True)
def _patient_expect():
    """expect() waits as long as an action (its own default is 5 s), for this module only."""
    expect.set_options(timeout=PATIENCE_MS)
    yield
    expect.set_options(timeout=None)


def _candidate_dates() -> list[datetime]:
    """Three evenings at 19:30 (Amsterdam), two to four weeks ahead: never stale."""
    first = timezone.localdate() + timedelta(days=14)
    return [
        datetime.combine(first + timedelta(days=7 * n), time(19, 30), AMSTERDAM) for n in range(3)
    ]


def _shown(moment: datetime) -> str:
    """A moment as the poll and the session page show it to an English reader."""
    with translation.override("en"):
        return formats.date_format(moment.astimezone(AMSTERDAM), "l j F Y, H:i")


def _vote(tab, answers: dict[datetime, str]) -> None:
    """Yes, maybe or no for each date (a fieldset named by its date), then Vote."""
    vote = tab.locator("form#vote")
    for moment, answer in answers.items():
        date = vote.get_by_role("group", name=_shown(moment))
        date.get_by_role("radio", name=answer, exact=True).check()
    vote.get_by_role("button", name="Vote").click()
    expect(tab.get_by_role("status")).to_contain_text("Thank you, your vote is in.")


def test_facilitator_reads_the_path_records_the_mandate_and_plans_by_date_poll(
    phone_tab, log_in, circle, screenshot
):
    """The next step is the room to experiment; saved from the page, it reads done. A date
    poll with three evenings, two votes, and the evening with the most yes answers becomes
    the next session."""
    from kring.decisions.models import Poll
    from kring.meetings.models import Session

    tab = phone_tab()
    log_in(tab, "anna@example.org", PASSWORD, "Anna")
    tab.goto("/communities/wijkzorg-noord/development/")
    next_card = tab.locator(".path-next")
    expect(next_card).to_contain_text("Room to experiment")
    for key, status in (("theme", "Done"), ("urgency", "Done"), ("mandate", "Open")):
        expect(tab.locator(f"#step-{key} .path-step-head .badge").first).to_have_text(status)
    screenshot(tab, "development-path-phone")

    next_card.get_by_role("link", name="Record the room to experiment").click()
    form = tab.locator("#step-mandate form")
    form.get_by_label("Who gave the room to experiment?").fill("The municipal board")
    form.get_by_label("Room to do what?").fill("Try visits by neighbours instead of care staff")
    with tab.expect_response(lambda r: r.url.endswith("/development/mandate/")) as sent:
        form.get_by_role("button", name="Save the mandate").click()
    assert sent.value.status == 302

    mandate = tab.locator("#step-mandate")
    expect(mandate.locator(".path-step-head .badge").first).to_have_text("Done")
    expect(mandate).to_contain_text("The municipal board")
    expect(tab.locator(".path-next")).to_contain_text("Two facilitators")
    screenshot(tab, "development-path-mandate-recorded")

    # Anna asks which evening suits for the first try, from the community's Polls tab.
    early, middle, late = dates = _candidate_dates()
    closes = timezone.localtime() + timedelta(days=7)
    sections = tab.get_by_role("navigation", name="Community sections")
    sections.get_by_role("link", name="Polls", exact=True).click()
    expect(tab.get_by_role("heading", name="Polls", exact=True)).to_be_visible()
    tab.get_by_role("link", name="Pick a date").click()
    poll_form = tab.locator("main form")
    poll_form.get_by_label("Question").fill(QUESTION)
    poll_form.get_by_label("Dates and times to choose from").fill(
        "\n".join(d.strftime("%Y-%m-%d %H:%M") for d in dates)
    )
    poll_form.get_by_label("Title of the session").fill(SESSION_TITLE)
    poll_form.get_by_label("Address").fill(ADDRESS)
    poll_form.get_by_label("Length in minutes").fill("90")
    poll_form.get_by_role("group", name="Show the results").get_by_label("After you vote").check()
    poll_form.get_by_label("The poll closes at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    screenshot(tab, "date-poll-form-phone")
    poll_form.get_by_role("button", name="Open the poll").click()
    expect(tab.get_by_role("heading", name=QUESTION)).to_be_visible()
    poll = Poll.objects.get(community=circle, question=QUESTION)
    assert [o.starts_at for o in poll.options.all()] == dates

    # Bea finds the poll on her phone and votes: the middle evening suits, the first maybe.
    bea = phone_tab()
    log_in(bea, "bea@example.org", PASSWORD, "Bea")
    bea.goto("/communities/wijkzorg-noord/")
    bea_sections = bea.get_by_role("navigation", name="Community sections")
    bea_sections.get_by_role("link", name="Polls", exact=True).click()
    bea.get_by_role("link", name=QUESTION).click()
    screenshot(bea, "date-poll-vote-phone")
    _vote(bea, {early: "Maybe", middle: "Yes", late: "No"})
    bea_results = bea.get_by_role("region", name="Results")
    expect(bea_results).to_contain_text("1 person voted.")
    bea_rows = bea_results.get_by_role("listitem")
    expect(bea_rows.filter(has_text=_shown(middle))).to_contain_text("1 yes, 0 maybe, 0 no")
    expect(bea_rows.filter(has_text=_shown(late))).to_contain_text("you said no")

    # Anna votes too (her page still shows the poll): the middle evening wins with two yes.
    _vote(tab, {early: "Yes", middle: "Yes", late: "Maybe"})
    results = tab.get_by_role("region", name="Results")
    expect(results).to_contain_text("2 people voted.")
    best = results.get_by_role("listitem").filter(has_text=_shown(middle))
    expect(best).to_contain_text("2 yes, 0 maybe, 0 no")
    expect(best).to_contain_text("Best date")
    expect(results.get_by_role("listitem").filter(has_text="Best date")).to_have_count(1)
    screenshot(tab, "date-poll-results-phone")

    # She plans the best date and lands on the new session.
    tab.get_by_role("button", name="Plan the best date").click()
    expect(tab.get_by_role("heading", name=SESSION_TITLE)).to_be_visible()
    session = Session.objects.get(community=circle)
    assert tab.url.endswith(f"/communities/wijkzorg-noord/sessions/{session.pk}/")
    when = tab.locator(".session-when-line time")
    expect(when).to_have_text(_shown(middle))
    expect(when).to_have_attribute("datetime", middle.isoformat())
    expect(tab.locator(".session-when-line")).to_contain_text("21:00")
    expect(tab.locator(".session-where-line")).to_contain_text(ADDRESS)
    screenshot(tab, "date-poll-planned-session-phone")

    assert session.title == SESSION_TITLE
    assert session.starts_at == middle
    assert session.ends_at == middle + timedelta(minutes=90)
    poll.refresh_from_db()
    assert not poll.is_open
    assert poll.planned_session == session
