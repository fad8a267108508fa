"""The API's Swagger page works under Kring's strict Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_render_every_endpoint(page, transactional_db, screenshot):
    """/api/v1/docs draws Swagger UI from Kring's own static files, with every endpoint."""
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kring API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = {
        (block.locator(".opblock-summary-method").inner_text(), path.inner_text())
        for block in page.locator(".opblock").all()
        for path in block.locator(".opblock-summary-path").all()
    }
    assert ("GET", "/api/v1/communities/{slug}/members") in paths
    assert ("POST", "/api/v1/communities") in paths
    screenshot(page, "07-api-docs")
