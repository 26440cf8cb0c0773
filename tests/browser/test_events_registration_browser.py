"""Registering in a real browser (Swedish and English, with and without JavaScript): a member
finds a webinar on /events, registers with an answer, sees the join link and the webinar among
"my events", and cancels; axe-core on every page of the way. With JavaScript the registration box
is swapped in place and the result is said in the live region."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.registration_helpers import upcoming_event

WORDS = {
    "sv": {
        "dietary": "Specialkost",
        "register": "Anmäl dig",
        "registered": "Du är anmäld.",
        "join": "Delta i evenemanget",
        "mine": "Mina evenemang",
        "cancel": "Avanmäl mig",
        "cancelled": "Din anmälan är borttagen.",
        "not_registered": "Du är inte anmäld.",
    },
    "en": {
        "dietary": "Dietary needs",
        "register": "Register for this event",
        "registered": "You are registered.",
        "join": "Join the event",
        "mine": "My events",
        "cancel": "Cancel my registration",
        "cancelled": "Your registration was cancelled.",
        "not_registered": "You are not registered.",
    },
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_register_for_a_webinar_see_it_in_my_events_and_cancel(
    browser, live_app, live_server, axe, lang, javascript
):
    words = WORDS[lang]
    title = f"Webbinarium {uuid.uuid4().hex[:6]}"
    with live_app.test_request_context("/"), live_session(live_app) as session:
        organiser = live_user(live_app, role="moderator")
        upcoming_event(
            session, organiser, days=3, title=title, capacity=20, questions=["dietary_needs"]
        )
    context = browser.new_context(java_script_enabled=javascript, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server.url, live_user(live_app, locale=lang))
        page.goto(f"{live_server.url}/events")
        page.get_by_role("link", name=title, exact=True).first.click()
        expect(page.locator("h1")).to_have_text(title)
        expect(page.get_by_role("link", name=words["join"])).to_have_count(0)
        if javascript:
            assert axe(page) == []
            mark_page(page)
        page.get_by_label(words["dietary"]).fill("vegetariskt")
        page.get_by_role("button", name=words["register"]).click()
        expect(page.locator(".registration-state")).to_have_text(words["registered"])
        expect(page.get_by_role("link", name=words["join"])).to_have_count(1)
        if javascript:
            assert_not_reloaded(page)
            expect(page.locator("#registration-live")).to_have_text(words["registered"])
            assert axe(page) == []
        page.goto(f"{live_server.url}/events")
        page.get_by_role("link", name=words["mine"]).first.click()
        expect(page.locator("h1")).to_have_text(words["mine"])
        expect(page.locator("#mine-upcoming").locator("xpath=..")).to_contain_text(title)
        if javascript:
            assert axe(page) == []
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("link", name=words["join"])).to_have_count(1)
        page.get_by_role("button", name=words["cancel"]).click()
        expect(page.locator(".registration-state")).to_have_text(words["not_registered"])
        if javascript:
            expect(page.locator("#registration-live")).to_have_text(words["cancelled"])
            assert axe(page) == []
        else:
            expect(page.locator(".flash")).to_contain_text(words["cancelled"])
    finally:
        context.close()
