"""A failed htmx action in Chromium: one short message next to the control, focus on it, the typed
text kept, never an error page among the posts, and each retry replacing the message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.discussions.models import Thread
from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.factories import make_thread

TEXT = {
    "sv": {
        "reply": "Ditt svar",
        "post": "Skicka svar",
        "locked": "Tråden är låst: den tar inte emot nya svar.",
        "expired": "Formuläret har gått ut",
        "unreachable": "Forumet gick inte att nå.",
    },
    "en": {
        "reply": "Your reply",
        "post": "Post reply",
        "locked": "This thread is locked: it takes no new replies.",
        "expired": "This form has expired",
        "unreachable": "The forum could not be reached.",
    },
}


def _thread(live_app, lang: str):
    with live_session(live_app) as session:
        author = live_user(live_app, locale=lang)
        thread, _ = make_thread(session, author, f"Gröna tak i Augustenborg ({lang})", "Hur?")
        return thread


def _open_thread(browser, live_server, live_app, lang):
    member = live_user(live_app, locale=lang)
    context = browser.new_context(locale="sv-SE" if lang == "sv" else "en-GB")
    page = context.new_page()
    log_in(page, live_server.url, member)
    thread = _thread(live_app, lang)
    page.goto(f"{live_server.url}/threads/{thread.id}-{thread.slug}")
    return context, page, thread


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_reply_to_a_thread_locked_meanwhile(browser, live_server, live_app, axe, lang):
    t = TEXT[lang]
    context, page, thread = _open_thread(browser, live_server, live_app, lang)
    try:
        page.get_by_label(t["reply"]).fill("Sedumtak fungerar bra hos oss.")
        with live_session(live_app) as session:
            session.get(Thread, thread.id).locked = True
            session.commit()
        mark_page(page)
        for _attempt in range(2):  # a retry replaces the message, it never adds one
            page.get_by_role("button", name=t["post"]).click()
            message = page.locator("#reply-form .htmx-error")
            expect(message).to_have_text(t["locked"])
            expect(message).to_have_attribute("role", "alert")
            expect(message).to_be_focused()
        expect(page.locator(".htmx-error")).to_have_count(1)
        expect(page.locator(".error-page")).to_have_count(0)
        expect(page.locator("#posts article.post")).to_have_count(1)
        expect(page.get_by_label(t["reply"])).to_have_value("Sedumtak fungerar bra hos oss.")
        assert_not_reloaded(page)
        assert axe(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_expired_session_and_a_lost_connection(browser, live_server, live_app, lang):
    t = TEXT[lang]
    context, page, _thread_ = _open_thread(browser, live_server, live_app, lang)
    try:
        box = page.get_by_label(t["reply"])
        box.fill("Vi mätte flödet i tre år.")
        # no answer at all: the connection is gone
        page.route("**/replies", lambda route: route.abort())
        page.get_by_role("button", name=t["post"]).click()
        message = page.locator("#reply-form .htmx-error")
        expect(message).to_contain_text(t["unreachable"])
        expect(message).to_be_focused()
        page.unroute("**/replies")
        # the session ended (logged out elsewhere, or it expired): the CSRF check refuses
        context.clear_cookies()
        page.get_by_role("button", name=t["post"]).click()
        expect(message).to_contain_text(t["expired"])
        expect(page.locator(".htmx-error")).to_have_count(1)
        expect(page.locator(".error-page")).to_have_count(0)
        expect(box).to_have_value("Vi mätte flödet i tre år.")
    finally:
        context.close()


def test_a_page_change_by_link_still_shows_the_error_page(browser, live_server, live_app):
    context, page, _thread_ = _open_thread(browser, live_server, live_app, "sv")
    try:
        page.evaluate(
            """() => {
                const link = document.createElement("a");
                link.href = "/t/no-such-theme";
                link.textContent = "gone";
                document.querySelector("#main").append(link);
                htmx.process(link);
            }"""
        )
        page.get_by_role("link", name="gone").click()
        expect(page.locator(".error-page h1")).to_have_text("Sidan finns inte")
    finally:
        context.close()
