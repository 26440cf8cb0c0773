"""Drafts in Chromium with htmx: a half-written reply or thread survives a link and Back, leaving
asks first, a sent reply leaves no draft behind, and one member never gets another's draft."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session, live_user, log_in
from tests.factories import make_thread

TEXT = {
    "sv": {
        "reply": "Ditt svar",
        "post": "Skicka svar",
        "leave_reply": "Ditt svar har inte skickats. Vill du lämna sidan ändå?",
        "leave_thread": "Din tråd har inte publicerats. Vill du lämna sidan ändå?",
        "title": "Rubrik",
        "body": "Text",
        "home": "Start",
    },
    "en": {
        "reply": "Your reply",
        "post": "Post reply",
        "leave_reply": "Your reply has not been sent. Leave this page anyway?",
        "leave_thread": "Your thread has not been published. Leave this page anyway?",
        "title": "Title",
        "body": "Text",
        "home": "Home",
    },
}


def _thread_url(live_server, live_app, title: str) -> str:
    with live_session(live_app) as session:
        thread, _ = make_thread(session, live_user(live_app), title, "Vad har ni lärt er?")
        return f"{live_server.url}/threads/{thread.id}-{thread.slug}"


def _drafts(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('forum-draft:')).map(k => [k, localStorage[k]]))"
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_reply_survives_a_link_and_back_and_is_gone_once_sent(
    browser, live_server, live_app, axe, lang
):
    t = TEXT[lang]
    member = live_user(live_app, locale=lang)
    url = _thread_url(live_server, live_app, f"Cykelparkering vid stationen ({lang})")
    context = browser.new_context(locale="sv-SE" if lang == "sv" else "en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server.url, member)
        page.goto(url)
        text = "Vi byggde ett cykelgarage med 2 000 platser och\nen verkstad."
        page.get_by_label(t["reply"]).fill(text)

        # a boosted link asks first; staying keeps everything as it was
        questions = []

        def answer(dialog, accept):
            questions.append((dialog.type, dialog.message))
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda dialog: answer(dialog, False))
        page.get_by_role("link", name=t["home"], exact=True).click()
        expect(page.get_by_label(t["reply"])).to_have_value(text)
        assert page.url == url
        page.once("dialog", lambda dialog: answer(dialog, True))
        page.get_by_role("link", name=t["home"], exact=True).click()
        page.wait_for_url(live_server.url + "/")
        assert [kind for kind, _ in questions] == ["confirm", "confirm"]
        assert all(message.startswith(t["leave_reply"]) for _, message in questions)

        # Back: htmx restores its copy of the page, with the text box as the server sent it
        page.go_back()
        expect(page.get_by_label(t["reply"])).to_have_value(text)
        assert axe(page) == []

        # ...and a reload too
        page.once("dialog", lambda dialog: dialog.accept())  # the browser's beforeunload
        page.reload()
        expect(page.get_by_label(t["reply"])).to_have_value(text)

        page.get_by_role("button", name=t["post"]).click()
        expect(page.locator("#posts article.post").last).to_contain_text("cykelgarage")
        expect(page.get_by_label(t["reply"])).to_have_value("")
        assert _drafts(page) == {}
        page.reload()  # nothing unsent: no question
        expect(page.get_by_label(t["reply"])).to_have_value("")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_new_thread_draft_belongs_to_its_member(browser, live_server, live_app, lang):
    t = TEXT[lang]
    writer = live_user(live_app, locale=lang)
    other = live_user(live_app, locale=lang)
    context = browser.new_context(locale="sv-SE" if lang == "sv" else "en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server.url, writer)
        page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
        page.get_by_label(t["title"], exact=True).fill("Laddplatser i bostadsrättsföreningar")
        page.get_by_label(t["body"], exact=True).fill("Hur fördelade ni kostnaden?")
        # leaving the page the plain way: the browser's own question
        kinds = []
        page.once("dialog", lambda dialog: (kinds.append(dialog.type), dialog.accept()))
        page.goto(live_server.url + "/")
        assert kinds == ["beforeunload"]
        page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
        expect(page.get_by_label(t["title"], exact=True)).to_have_value(
            "Laddplatser i bostadsrättsföreningar"
        )
        expect(page.get_by_label(t["body"], exact=True)).to_have_value(
            "Hur fördelade ni kostnaden?"
        )

        # another member in the same browser (the first one's session simply ended) sees nothing
        context.clear_cookies()
        page.once("dialog", lambda dialog: dialog.accept())
        log_in(page, live_server.url, other)
        page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
        expect(page.get_by_label(t["title"], exact=True)).to_have_value("")
        expect(page.get_by_label(t["body"], exact=True)).to_have_value("")
        assert len(_drafts(page)) == 1  # the first member's, under their own id

        # logging out removes every draft this browser keeps
        page.locator(".account-menu summary").click()
        page.locator("form[data-drafts-clear] button").click()
        page.wait_for_url(lambda url: "/threads/new" not in url)
        assert _drafts(page) == {}
    finally:
        context.close()


def test_publishing_a_thread_removes_its_draft(browser, live_server, live_app):
    member = live_user(live_app)
    context = browser.new_context(locale="sv-SE")
    try:
        page = context.new_page()
        log_in(page, live_server.url, member)
        page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
        page.get_by_label("Rubrik", exact=True).fill("Solpaneler på skolans tak")
        page.get_by_label("Text", exact=True).fill("Vem äger elen?")
        assert len(_drafts(page)) == 1
        page.get_by_role("button", name="Förhandsgranska").click()
        expect(page.locator("#preview")).to_contain_text("Vem äger elen?")
        assert len(_drafts(page)) == 1  # a preview sends nothing for good
        page.get_by_role("button", name="Publicera tråden").click()
        expect(page.locator("#thread-title")).to_have_text("Solpaneler på skolans tak")
        assert _drafts(page) == {}
    finally:
        context.close()
