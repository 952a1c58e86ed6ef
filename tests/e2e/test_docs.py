"""/docs in a real browser: Swagger UI renders the OpenAPI 3.1 schema offline (it said
「Unable to render this definition」 with the Swagger UI 4 bundle)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_docs_render_the_api(live_server, page, screenshot):
    page.goto(f"{live_server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("shopgen")
    expect(page.locator(".opblock-summary-path", has_text="/api/catalog/products").first).to_be_visible()
    assert page.locator("text=Unable to render this definition").count() == 0
    screenshot(page, "docs.png")
