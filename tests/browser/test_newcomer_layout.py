"""Layout a newcomer meets first: the search filters fold away on a phone, list filters show
their whole chosen option on a desktop, and thread lists read as lists."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session
from tests.factories import make_thread, make_user

PHONE = {"width": 390, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
FOLD = "#search-filters-details"


@pytest.fixture(scope="module")
def findable(live_app):
    with live_session(live_app) as session:
        author = make_user(session, display_name="Fia Fältare")
        for n in range(3):
            make_thread(
                session,
                author,
                f"Regnbäddar i kvarteret {n}",
                "Regnbäddar tar hand om dagvatten från taken.",
                direct=True,
            )
    return "/search?q=regnbäddar"


def test_on_a_phone_the_filters_are_folded_and_the_first_result_shows(page, live_server, findable):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + findable + "&language=sv")
    fold = page.locator(FOLD)
    expect(fold).not_to_have_attribute("open", "")
    expect(fold.locator("summary")).to_contain_text("1 valt: Svenska")
    first = page.locator(".search-hit").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] + 40 < PHONE["height"]  # its title is on the first screen
    # opened by the reader, the filters stay open while the results change under them
    fold.locator("summary").click()
    expect(page.locator("input[name=type][value=thread]")).to_be_visible()
    page.locator("input[name=type][value=thread]").check()
    expect(page).to_have_url(re.compile(r"type=thread"))
    expect(page.locator(FOLD)).to_have_attribute("open", "")
    expect(page.locator(FOLD + " summary")).to_contain_text("2 valda")


def test_on_a_desktop_the_filters_are_open(page, live_server, findable):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + findable + "&lang=en")
    expect(page.locator(FOLD)).to_have_attribute("open", "")
    expect(page.locator("input[name=language][value=sv]")).to_be_visible()
    page.locator("input[name=type][value=thread]").check()
    expect(page.locator(FOLD + " summary")).to_contain_text("1 on: Threads")
    expect(page.locator(FOLD)).to_have_attribute("open", "")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_without_javascript_the_fold_works_and_says_what_is_on(
    browser, live_server, findable, viewport
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + findable)
        expect(page.locator(FOLD)).not_to_have_attribute("open", "")
        expect(page.locator(".search-hit").first).to_be_visible()
        page.locator(FOLD + " > summary").click()
        page.locator("input[name=sort][value=newest]").check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator(FOLD + " summary")).to_contain_text("1 on: Newest first")
    finally:
        context.close()


def test_the_search_page_with_folded_filters_is_accessible(page, live_server, findable, axe):
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for lang in ("sv", "en"):
            page.goto(f"{live_server.url}{findable}&lang={lang}&language=sv")
            expect(page.locator(".search-hit").first).to_be_visible()
            assert axe(page) == [], (viewport, lang)


# The natural width of a <select>: as wide as its longest option.
SELECT_FITS = """() => [...document.querySelectorAll('form.filters select')].map(s => {
  const copy = s.cloneNode(true);
  copy.style.width = 'auto';
  copy.style.position = 'absolute';
  document.body.appendChild(copy);
  const needed = copy.getBoundingClientRect().width;
  copy.remove();
  return [s.id, Math.floor(s.getBoundingClientRect().width) >= Math.floor(needed)];
}).filter(([id, fits]) => !fits).map(([id]) => id)"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_list_filters_show_their_longest_option_whole_on_a_desktop(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    for lang in ("sv", "en"):
        for path in ("/lessons", "/projects", "/events"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            assert page.locator("form.filters select").count() >= 2
            assert page.evaluate(SELECT_FITS) == [], (path, lang)


def test_thread_lists_read_as_lists(page, live_server, findable, axe):
    page.set_viewport_size(DESKTOP)
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/t/klimatneutral-framtid?lang={lang}")
        title = page.locator(".thread-row .thread-title a").first
        style = "(e, p) => getComputedStyle(e)[p]"
        assert title.evaluate(style, "textDecorationLine") == "none"
        meta = page.locator(".thread-row .thread-meta").first
        assert meta.evaluate(style, "color") == "rgb(79, 91, 87)"  # --muted, 7:1 on the paper
        title.hover()
        assert title.evaluate(style, "textDecorationLine") == "underline"
        page.mouse.move(0, 0)
        page.keyboard.press("Tab")  # a focused title is underlined and outlined
        title.focus()
        assert title.evaluate(style, "textDecorationLine") == "underline"
        assert title.evaluate(style, "outlineStyle") == "solid"
        assert axe(page) == [], lang
