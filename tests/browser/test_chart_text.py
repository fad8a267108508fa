"""Every server-drawn chart keeps its text readable: on a 390 px phone and a 1366 px screen,
each SVG <text> on the insights dashboard (network and trends), the sessions list (rhythm and
attendance) and the climate pulse (trend) renders at 11 px or more. An SVG scales with its
viewBox, so the size on screen is the font size times the scale from the text's user units
to the screen (getScreenCTM)."""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

COMMUNITY = "langer-thuis-rivierenland"
FACILITATOR = "marieke.jansen@kring.example"
PAGES = {
    "insights": (f"/communities/{COMMUNITY}/insights/", ".chart-network", 6),
    "sessions": (f"/communities/{COMMUNITY}/sessions/", ".chart-attendance", 2),
    "pulse": (None, ".chart-pulse", 1),  # reverse("pulse-list")
}
WIDTHS = (390, 1366)
# Each visible SVG text: its content, its size on screen in px (font size times the scale of
# its user units), and the height of its box. Texts not rendered (display: none) are left out;
# names that show on hover are measured too: they have their size while hidden.
MEASURE = """() => [...document.querySelectorAll("main svg text")].flatMap(text => {
    const ctm = text.getScreenCTM();
    if (!ctm || !text.getClientRects().length) return [];
    const scale = Math.hypot(ctm.a, ctm.b);
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    return [[text.textContent.slice(0, 30), size, text.getBoundingClientRect().height]];
})"""


@pytest.fixture
def pulses(demo):
    """Two closed climate pulses with enough answers, so the pulse page draws its trend."""
    from kring.accounts.models import User
    from kring.communities.models import Community
    from kring.insights import services as pulse
    from kring.insights.models import Pulse

    community = Community.objects.get(slug=COMMUNITY)
    facilitator = User.objects.get(email=FACILITATOR)
    members = [m.user for m in community.memberships.select_related("user")][:6]
    for weeks_ago in (10, 4):
        opened = pulse.pulse_start(community=community, by=facilitator, days=7)
        for member in members:
            pulse.pulse_answer(pulse=opened, by=member, answers=dict.fromkeys(pulse.ITEM_KEYS, 5))
        pulse.pulse_close(pulse=opened, by=facilitator)
        Pulse.objects.filter(pk=opened.pk).update(
            opened_at=opened.opened_at - timedelta(weeks=weeks_ago)
        )
    return demo


def test_every_chart_text_is_at_least_11px(browser, live_server, pulses):
    """At 390 and 1366 px every text in every chart is 11 px or more on screen."""
    from django.urls import reverse

    pages = {**PAGES, "pulse": (reverse("pulse-list", args=[COMMUNITY]), *PAGES["pulse"][1:])}
    for width in WIDTHS:
        _check_width(browser, live_server, pulses.password, pages, width)


def _check_width(browser, live_server, password, pages, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(15_000)
    try:
        tab = context.new_page()
        tab.goto("/login/")
        tab.fill("input[name=username]", FACILITATOR)
        tab.fill("input[name=password]", password)
        with tab.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url):
            tab.locator("main form button[type=submit]").click()
        expect(tab.locator("nav.site-nav")).to_contain_text("Marieke")
        for name, (path, chart, least) in pages.items():
            response = tab.goto(path)
            assert response is not None and response.status == 200, name
            expect(tab.locator(chart)).to_have_count(1)
            texts = tab.evaluate(MEASURE)
            assert len(texts) >= least, (name, texts)
            small = [(t, round(size, 1)) for t, size, _height in texts if size < 11]
            assert not small, f"{name} at {width} px: text below 11 px: {small}"
            low = [(t, round(h, 1)) for t, _size, h in texts if 0 < h < 11]
            assert not low, f"{name} at {width} px: text boxes lower than 11 px: {low}"
    finally:
        context.close()
