"""The home page in a real browser: Swedish first, English on request, accessible."""

from __future__ import annotations

from playwright.sync_api import expect


def test_home_shows_three_themes_in_swedish(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".theme-card h3")).to_have_text(
        [
            "Klimatneutral framtid",
            "Resilienta och hälsosamma samhällen",
            "Rättvisa och inkluderande samhällen",
        ]
    )


def test_switching_to_english_changes_the_page(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".theme-card h3").first).to_have_text("Climate-neutral future")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_header_search_submits_get(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").fill("dagvatten")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/search?q=dagvatten")


def test_home_page_is_accessible(page, live_server, axe):
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/?lang={lang}")
        assert axe(page) == []


def test_home_page_fits_a_small_screen(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_boosted_link_to_a_missing_page_shows_the_404_page(page, live_server):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const a = document.createElement('a');
            a.href = '/no/such/page'; a.textContent = 'broken link'; a.id = 'broken';
            document.querySelector('main').appendChild(a);
            htmx.process(a);
        }"""
    )
    page.click("#broken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page).to_have_url(live_server.url + "/no/such/page")
