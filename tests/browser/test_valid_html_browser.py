"""Pages as htmx leaves them are valid HTML too: the DOM after a preview, an inline reply, an
inline edit form, a useful mark and an active search, checked with the Nu HTML checker in one run
(``tests/html_checker.py``; every server-rendered page is checked in tests/http/test_valid_html.py).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.support import live_user, log_in
from tests.html_checker import html_errors, java_and_vnu


def test_pages_changed_by_htmx_are_valid_html(page, live_server, live_app, tmp_path):
    java_and_vnu()  # skip before driving the browser where the checker is missing
    states: dict[str, str] = {}
    log_in(page, live_server.url, live_user(live_app, locale="sv"))
    page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
    page.get_by_label("Rubrik", exact=True).fill("Solceller på skoltak i Hyllie")
    page.get_by_label("Text", exact=True).fill("Hur räknade ni **återbetalningstiden**?")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("#preview strong")).to_have_text("återbetalningstiden")
    states["new thread with its preview"] = page.content()
    page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")  # a fresh form
    page.get_by_label("Rubrik", exact=True).fill("Solceller på skoltak i Hyllie")
    page.get_by_label("Text", exact=True).fill("Hur räknade ni **återbetalningstiden**?")
    page.get_by_role("button", name="Publicera tråden").click()
    expect(page.locator("#thread-title")).to_be_visible(timeout=30_000)  # a loaded machine
    page.get_by_label("Ditt svar").fill("Vi räknade med tolv år, och det höll.")
    page.get_by_role("button", name="Skicka svar").click()
    expect(page.locator("#posts article.post")).to_have_count(2)
    states["thread after an inline reply"] = page.content()
    page.locator("#posts article.post").last.get_by_role(
        "link", name="Redigera", exact=True
    ).click()
    expect(page.locator("article.post-editing")).to_be_visible()
    states["thread with an inline edit form"] = page.content()
    page.locator("article.post-editing").get_by_role("button", name="Spara").click()
    expect(page.locator("article.post-editing")).to_have_count(0)
    page.goto(live_server.url + "/search")
    page.locator("#search-q").fill("skoltak")
    expect(page).to_have_url(re.compile(r"q=skoltak"))
    expect(page.locator(".search-hit").first).to_be_visible()
    states["search after typing"] = page.content()

    assert html_errors(states, tmp_path / "pages") == []
