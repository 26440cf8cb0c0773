"""/data in a real browser: reached from the footer, accessible in both languages, and no wider
than a small phone (the addresses shown as code must wrap or fit)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_footer_leads_to_the_data_page(page, live_server):
    page.goto(live_server.url + "/?lang=en")
    page.locator("footer").get_by_role("link", name="Open data").click()
    page.wait_for_url("**/data")
    expect(page.locator("h1")).to_have_text("Open data")


def test_the_data_page_is_accessible_and_fits_a_phone(page, live_server, axe):
    page.set_viewport_size({"width": 320, "height": 740})
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/data?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert axe(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_data_dictionary_is_accessible(page, live_server, axe):
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/api/dictionary?lang={lang}")
        assert page.locator("h1").inner_text()
        assert axe(page) == []
