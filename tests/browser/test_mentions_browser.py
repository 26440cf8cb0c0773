"""Mentioning with the keyboard in Chromium: the suggestions of the member search in a reply box
and the project contact field, in Swedish and English, axe-clean; without JavaScript a typed
@handle still becomes a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session, live_user, log_in
from tests.factories import make_thread

TEXT = {
    "sv": {"reply": "Ditt svar", "post": "Skicka svar", "found": "2 medlemmar hittades"},
    "en": {"reply": "Your reply", "post": "Post reply", "found": "2 members found"},
}


def _thread_url(live_app, author) -> str:
    with live_session(live_app) as session:
        thread, _ = make_thread(session, author, title="Vem kan svara om regnbäddar?")
        return f"/threads/{thread.id}-{thread.slug}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_mention_with_the_keyboard(browser, live_server, live_app, axe, lang):
    t = TEXT[lang]
    writer = live_user(live_app, locale=lang, display_name=f"Skribent {lang}")
    first = live_user(live_app, display_name=f"Ylva {lang} Nämnd")
    second = live_user(live_app, display_name=f"Ylva {lang} Nämndeman")
    assert (first.handle, second.handle) == (f"ylva_{lang}_namnd", f"ylva_{lang}_namndeman")
    context = browser.new_context(locale="sv-SE" if lang == "sv" else "en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server.url, writer)
        page.goto(live_server.url + _thread_url(live_app, writer))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        box = page.get_by_label(t["reply"])
        box.click()
        box.press_sequentially(f"Fråga @ylva_{lang}_namnd", delay=20)
        listbox = page.locator(".member-popup").get_by_role("listbox")
        expect(listbox.get_by_role("option")).to_have_count(2)
        expect(page.locator("#member-suggestions-status")).to_contain_text(t["found"])
        options = listbox.get_by_role("option")
        expect(options.first).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
        assert axe(page) == []

        box.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
        expect(options.nth(1)).to_contain_text(f"@{second.handle} — Ylva {lang} Nämndeman")
        box.press("Enter")
        expect(listbox).to_have_count(0)
        expect(box).to_have_value(f"Fråga @{second.handle} ")
        assert box.get_attribute("aria-activedescendant") is None

        # Escape closes the suggestions and keeps what was typed
        box.press_sequentially(f"och @ylva_{lang}", delay=20)
        expect(listbox.get_by_role("option")).to_have_count(2)
        box.press("Escape")
        expect(listbox).to_have_count(0)
        expect(box).to_have_value(f"Fråga @{second.handle} och @ylva_{lang}")
        box.press_sequentially("_namnd", delay=20)  # the exact handle comes first
        expect(listbox.get_by_role("option").first).to_contain_text(f"@{first.handle} —")
        box.press("Tab")
        expect(box).to_have_value(f"Fråga @{second.handle} och @{first.handle} ")
        expect(box).to_be_focused()

        page.get_by_role("button", name=t["post"]).click()
        reply = page.locator("#posts article.post").last
        expect(reply.locator("a.mention")).to_have_count(2)
        expect(reply.locator("a.mention").first).to_have_attribute(
            "href", f"/u/{second.id}-ylva-{lang}-namndeman"
        )
    finally:
        context.close()


def test_project_contact_picker(browser, live_server, live_app, axe):
    writer = live_user(live_app, locale="en", display_name="Projektskribent")
    contact = live_user(live_app, display_name="Kontakt Personsson")
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server.url, writer)
        page.goto(live_server.url + "/projects/new")
        field = page.get_by_label("Contact person")
        field.press_sequentially("Kontakt Pers", delay=20)
        expect(field).to_have_attribute("role", "combobox")
        expect(field).to_have_attribute("aria-expanded", "true")
        expect(page.locator(".member-popup").get_by_role("option")).to_have_count(1)
        assert axe(page) == []
        field.press("Enter")
        expect(field).to_have_value(f"@{contact.handle}")
        expect(field).to_have_attribute("aria-expanded", "false")
    finally:
        context.close()


def test_a_typed_mention_without_javascript(browser, live_server, live_app):
    writer = live_user(live_app, display_name="Skribent utan JS")
    named = live_user(live_app, display_name="Nämnd utan JS")
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        log_in(page, live_server.url, writer)
        page.goto(live_server.url + _thread_url(live_app, writer))
        page.get_by_label("Ditt svar").fill(f"Tack @{named.handle}!")
        page.get_by_role("button", name="Skicka svar").click()
        link = page.locator("#posts article.post").last.locator("a.mention")
        expect(link).to_have_text(f"@{named.handle}")
        link.click()
        expect(page.locator("#profile-name")).to_have_text("Nämnd utan JS")
        expect(page.locator(".profile-handle")).to_have_text(f"@{named.handle}")
    finally:
        context.close()
