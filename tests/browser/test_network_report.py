"""A coordinator reads the network report on a phone and on a laptop: five communities side by
side scroll inside their table while the figures' names stay in view, the page itself never
scrolls sideways, and axe-core finds nothing serious."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = {390: 844, 1366: 768}
PASSWORD = "rivierenland-netwerk-2026"


@pytest.fixture
def network(transactional_db, make_admin, make_user, make_community, make_member):
    from django.utils import timezone

    from kring.insights.tests.histories import session
    from kring.networks import services
    from kring.networks.models import Level

    admin = make_admin(full_name="Ada Admin", language="en")
    coordinator = make_user(full_name="Coby Coordinator", language="en", password=PASSWORD)
    network = services.network_create(
        by=admin, slug="zorg-regio", name="Zorgnetwerk Regio Rivierenland", level=Level.REGIONAL
    )
    services.coordinators_set(network=network, by=admin, people=[coordinator])
    shared = make_user(full_name="Bo Bakker", organisation="Zorg BV")
    names = [
        "Langer thuis in de regio Rivierenland",
        "Mantelzorg Oost",
        "Jeugd en gezin West",
        "Wijkteams Tiel",
        "Schuldhulp samen",
    ]
    for n, name in enumerate(names):
        facilitator = make_user(full_name=f"Facilitator {n}")
        community = make_community(by=facilitator, name=name)
        make_member(community, user=shared)
        people = [make_member(community).user for _ in range(n + 1)]
        session(
            community,
            facilitator,
            timezone.now() - timedelta(days=30 + n),
            attended=[shared, *people],
        )
        services.link_request(network=network, community=community, by=admin)
    return network, coordinator


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_report_reads_at_every_width(browser, live_server, log_in, network, screenshot, width):
    """No sideways page scroll; the table scrolls in its box with the first column fixed;
    the PDF link is the primary action, in the first screen; axe finds nothing serious."""
    network, coordinator = network
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": WIDTHS[width]}
    )
    context.add_init_script(Axe().axe_script)
    tab = context.new_page()
    try:
        log_in(tab, coordinator.email, PASSWORD, coordinator.full_name)
        tab.goto(f"/networks/{network.slug}/report/")
        table = tab.locator(".network-report-table").first
        expect(table).to_contain_text("Mantelzorg Oost")
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        primary = tab.locator("[data-primary-action]").first
        assert primary.bounding_box()["y"] < 800
        screenshot(tab, f"network-report-{width}")

        wrap = tab.locator(".table-wrap").first
        scrolls = wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        if width == 390:
            assert scrolls, "five communities do not fit a phone: the table scrolls in its box"
        if scrolls:
            label = tab.locator(".network-report-table tbody th[scope=row]").first
            before = label.bounding_box()["x"]
            wrap.scroll_into_view_if_needed()
            wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            assert abs(label.bounding_box()["x"] - before) < 1, "the figure's name stays in view"
            screenshot(tab, f"network-report-{width}-scrolled", full_page=False)

        results = tab.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, serious
    finally:
        context.close()
