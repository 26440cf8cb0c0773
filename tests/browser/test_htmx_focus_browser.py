"""Where the focus goes and what is read out after htmx changes a part of the page, and "Load
more" kept across a thread and Back; with JavaScript, in Swedish and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.factories import goal, make_thread, themes

TEXT = {
    "sv": {
        "reply": "Ditt svar",
        "post": "Skicka svar",
        "posted": "Ditt svar har publicerats.",
        "quote": "Citera",
        "more": "Visa fler trådar",
        "shown": "25 trådar till visas",
        "result": "1 träff",
        "note": "Gruppens namn (för administratörer)",
        "terms": "Likvärdiga termer, en per rad",
        "save": "Spara grupp",
        "saved": "Ordlistegruppen sparades.",
    },
    "en": {
        "reply": "Your reply",
        "post": "Post reply",
        "posted": "Your reply was posted.",
        "quote": "Quote",
        "more": "Load more threads",
        "shown": "25 more threads shown",
        "result": "1 result",
        "note": "Name of the group (for admins)",
        "terms": "Equivalent terms, one a line",
        "save": "Save group",
        "saved": "The glossary group was saved.",
    },
}


def _context(browser, lang):
    return browser.new_context(locale="sv-SE" if lang == "sv" else "en-GB")


def _announced(page):
    return page.locator("#announcer")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_reply_and_quote_move_the_focus(browser, live_server, live_app, axe, lang):
    t = TEXT[lang]
    member = live_user(live_app, locale=lang)
    with live_session(live_app) as session:
        thread, _ = make_thread(session, live_user(live_app), "Regnbäddar i Sofielund", "Hur?")
    context = _context(browser, lang)
    try:
        page = context.new_page()
        log_in(page, live_server.url, member)
        page.goto(f"{live_server.url}/threads/{thread.id}-{thread.slug}")
        mark_page(page)
        page.get_by_label(t["reply"]).fill("Växterna klarar torka bättre än väntat.")
        page.get_by_role("button", name=t["post"]).click()
        new_post = page.locator("#posts article.post").last
        expect(new_post).to_contain_text("Växterna klarar torka")
        expect(new_post).to_be_focused()
        expect(_announced(page)).to_have_text(t["posted"])

        # "Quote": the quote lands in the reply box, and so does the focus, caret at the end
        page.get_by_label(t["reply"]).fill("Håller med.")
        page.locator("article.post-first").get_by_role("link", name=t["quote"]).click()
        box = page.get_by_label(t["reply"])
        expect(box).to_be_focused()
        expect(box).to_have_value(re.compile(r"^Håller med\.\n\n> \*\*.*\n> Hur\?\n\n$"))
        assert page.evaluate(
            "() => document.activeElement.selectionStart === document.activeElement.value.length"
        )
        assert_not_reloaded(page)
        assert axe(page) == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def long_list(live_app):
    """55 threads about goal 14 in one theme: three pages of 25."""
    with live_session(live_app) as session:
        author = live_user(live_app)
        theme = themes(session)[1]
        life_below_water = goal(session, 14)
        for number in range(55):
            make_thread(
                session,
                author,
                f"Kustskydd och ålgräs, fråga {number:02d}",
                "Hur återplanterade ni ålgräset?",
                theme=theme,
                goal_ids=[life_below_water.id],
                language="sv",
                commit=False,
            )
        session.commit()
        return f"/t/{theme.slug}?sdg=14"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_load_more_focuses_the_first_new_row_and_is_kept_for_back(
    browser, live_server, live_app, long_list, axe, lang
):
    t = TEXT[lang]
    context = _context(browser, lang)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{long_list}&lang={lang}")
        rows = page.locator("#thread-rows > li")
        expect(rows).to_have_count(25)
        page.get_by_role("link", name=t["more"]).click()
        expect(rows).to_have_count(50)
        expect(rows.nth(25)).to_be_focused()
        expect(_announced(page)).to_have_text(t["shown"])
        expect(page).to_have_url(re.compile(r"[?&]shown=2(&|$)"))
        assert axe(page) == []

        # open the 40th thread and come Back: the same 50 rows, the 40th in view
        _open_and_come_back(page, rows.nth(39))
        expect(rows).to_have_count(50)
        expect(rows.nth(39)).to_be_in_viewport()

        # the same when htmx's own copy of the page is gone: the address names both pages
        _open_and_come_back(page, rows.nth(39), forget_copy=True)
        expect(rows).to_have_count(50)
        expect(rows.nth(39)).to_be_in_viewport()
        expect(page.locator("#load-more a")).to_have_attribute(
            "href", re.compile(r"[?&]page=3(&|$)")
        )
    finally:
        context.close()


def _open_and_come_back(page, row, *, forget_copy=False):
    row.locator("a").first.click()
    expect(page.locator("#thread-title")).to_be_visible()
    # htmx has finished with the thread page (it scrolls to its top as it settles)
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request')")
    if forget_copy:
        page.evaluate("() => localStorage.removeItem('htmx-history-cache')")
    page.go_back()


def test_pages_shown_together_without_javascript(browser, live_server, long_list):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{long_list}&shown=2")
        expect(page.locator("#thread-rows > li")).to_have_count(50)
        page.get_by_role("link", name="Visa fler trådar").click()  # a plain link to page 3
        expect(page).to_have_url(re.compile(r"[?&]page=3(&|$)"))
        expect(page.locator("#thread-rows > li")).not_to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_active_search_reads_out_the_count(browser, live_server, live_app, lang):
    t = TEXT[lang]
    word = {"sv": "zorbexkyla", "en": "quillopkyla"}[lang]
    with live_session(live_app) as session:
        make_thread(session, live_user(live_app), f"Fjärrkyla: {word}", "Kylan kommer ur Öresund.")
    context = _context(browser, lang)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/search?lang={lang}")
        page.locator("#search-q").press_sequentially(word, delay=30)
        expect(page.locator(".search-hit")).to_have_count(1)
        expect(_announced(page)).to_have_text(t["result"])
        # the header's box swaps the whole page part in, and is read out the same way
        page.locator("#header-q").fill("")
        page.locator("#header-q").press_sequentially(word, delay=30)
        expect(page).to_have_url(re.compile(rf"/search\?q={word}"))
        expect(_announced(page)).to_have_text(t["result"])
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_saving_a_glossary_group_updates_the_list(browser, live_server, live_app, axe, lang):
    t = TEXT[lang]
    admin = live_user(live_app, role="admin", locale=lang)
    context = _context(browser, lang)
    try:
        page = context.new_page()
        log_in(page, live_server.url, admin)
        page.goto(live_server.url + "/admin/glossary")
        count = page.locator("#glossary-admin h2").last
        before = int(re.search(r"\d+", count.inner_text()).group())
        mark_page(page)
        page.get_by_label(t["note"], exact=True).fill(f"Grönytefaktor {lang}")
        page.get_by_label(t["terms"], exact=True).fill(
            f"sv: grönytefaktor {lang}\nen: green space factor {lang}"
        )
        page.get_by_role("button", name=t["save"]).click()
        expect(page.locator("#glossary-saved")).to_have_text(t["saved"])
        expect(page.locator("#glossary-saved")).to_be_focused()
        expect(_announced(page)).to_have_text(t["saved"])
        expect(count).to_contain_text(str(before + 1))
        expect(page.locator(".glossary-group", has_text=f"Grönytefaktor {lang}")).to_have_count(1)
        expect(page.get_by_label(t["note"], exact=True)).to_have_value("")
        assert_not_reloaded(page)
        assert axe(page) == []
    finally:
        context.close()
