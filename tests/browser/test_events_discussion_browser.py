"""An event's discussion and its recording in search, in a real browser (with and without
JavaScript): a member replies below the event (appended in place with htmx, back to the event
without), then finds a sentence of the recording's captions and lands on that moment; axe-core on
the pages."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from forum.agenda.models import EventRecording
from tests.browser.support import live_session, live_user, log_in
from tests.events_helpers import make_event


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_reply_below_an_event_and_find_its_recording(
    browser, live_app, live_server, axe, javascript
):
    word = f"regnbädd{uuid.uuid4().hex[:6]}"
    with live_session(live_app) as session, live_app.test_request_context():
        mod = live_user(live_app, role="moderator")
        event = make_event(session, mod, title=f"Skyfall {word[-6:]}")
        session.add(
            EventRecording(
                event_id=event.id,
                captions=f"WEBVTT\n\n00:01:05.000 --> 00:01:09.000\nEn {word} i varje kvarter.\n",
                captions_language="sv",
            )
        )
        session.commit()
    context = browser.new_context(java_script_enabled=javascript, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server.url, live_user(live_app, locale="sv"))
        page.goto(f"{live_server.url}/events/{event.id}")
        if javascript:
            assert axe(page) == []
        page.get_by_label("Ditt svar", exact=True).fill("Finns presentationen att ladda ner?")
        page.get_by_role("button", name="Skicka svar").click()
        expect(page.locator("#posts")).to_contain_text("Finns presentationen att ladda ner?")
        assert f"/events/{event.id}" in page.url
        page.goto(f"{live_server.url}/search?q={word}")
        hit = page.locator(".search-hit-transcript")
        expect(hit).to_contain_text("vid 1:05 i inspelningen")
        if javascript:
            assert axe(page) == []
        hit.get_by_role("link").click()
        page.wait_for_url(f"**/events/{event.id}#t=65")
    finally:
        context.close()
