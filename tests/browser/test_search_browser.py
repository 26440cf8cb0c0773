"""Active search in Chromium: with htmx (debounced, URL pushed, no reload) and without
JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session
from tests.factories import make_reply, make_thread, make_user


@pytest.fixture(scope="module")
def search_content(live_app):
    with live_session(live_app) as session:
        author = make_user(session, display_name="Sökare Svensson")
        thread, _ = make_thread(
            session,
            author,
            "Bokashi och kompost i lägenheten",
            "Matrester kan komposteras i en bokashihink under diskbänken.",
            direct=True,
        )
        make_reply(
            session,
            thread,
            author,
            "We compost food scraps on the balcony with worms.",
            language="en",
            direct=True,
        )
        make_thread(
            session,
            author,
            "Vertikalodling på bostadsrättens tak",
            "Föreningen startade vertikalodling.",
            direct=True,
        )
    return True


def test_active_search_updates_results_as_one_types(page, live_server, search_content):
    page.goto(live_server.url + "/search")
    page.evaluate("window.__sameDocument = true")
    # "bokashi" is no dictionary word, so "bokashihink" is not split: typed whole, it is marked
    page.locator("#search-q").press_sequentially("bokashihink worms", delay=30)
    # the thread and its reply both match: one entry, with a link to the other match
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator(".search-hit .search-more a")).to_have_attribute(
        "href", re.compile(r"thread=\d+")
    )
    expect(page).to_have_url(re.compile(r"/search\?q=bokashihink(\+|%20)worms"))
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the results, no reload
    expect(page.locator(".search-snippet mark").first).to_be_visible()
    page.locator("input[name=language][value=en]").check()
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator(".search-hit h3")).to_have_text("Bokashi och kompost i lägenheten")
    expect(page.locator(".search-hit .search-snippet mark")).to_have_text("worms")
    expect(page).to_have_url(re.compile(r"language=en"))


def test_header_box_searches_from_any_page(page, live_server, search_content):
    page.goto(live_server.url + "/")
    page.locator("#header-q").press_sequentially("vertikalodling", delay=30)
    expect(
        page.locator(".search-hit h3", has_text="Vertikalodling på bostadsrättens tak")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search\?q=vertikalodling"))


def test_search_works_without_javascript(browser, live_server, search_content):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search")
        page.locator("#search-q").fill("bokashi worms")
        page.locator("#search-q").press("Enter")
        page.wait_for_url("**/search?q=bokashi+worms**")
        expect(page.locator(".search-hit")).to_have_count(1)  # one entry per thread
        page.locator("#search-filters-details > summary").click()  # folded without a script
        page.locator("input[name=posts][value=all]").check()
        page.locator(".search-filters button[type=submit]").click()
        expect(page.locator(".search-hit")).to_have_count(2)  # the thread and its reply
        page.locator("#search-filters-details > summary").click()
        page.locator("input[name=language][value=sv]").check()
        page.locator(".search-filters button[type=submit]").click()
        expect(page.locator(".search-hit")).to_have_count(1)
        assert "language=sv" in page.url and "posts=all" in page.url
    finally:
        context.close()


def test_search_page_is_accessible(page, live_server, axe, search_content):
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/search?q=kompost&lang={lang}")
        expect(page.locator(".search-hit").first).to_be_visible()
        assert axe(page) == []
    page.goto(f"{live_server.url}/search?q=nothing-matches-this")
    assert axe(page) == []
