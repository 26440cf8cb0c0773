"""Events in a real browser (Swedish and English, with and without JavaScript): a moderator
writes an event, meets the refusal of a time that does not exist, publishes, and a member finds
it in the month calendar; axe-core on every page of the way."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_user, log_in

WORDS = {
    "sv": {
        "new": "Nytt evenemang",
        "title": "Rubrik",
        "summary": "Sammanfattning (Markdown)",
        "date": "Datum",
        "starts": "Börjar",
        "ends": "Slutar",
        "online": "Evenemang på nätet",
        "link": "Länk för att delta",
        "publish": "Publicera",
        "gap": "finns inte i svensk tid",
        "saved": "Evenemanget sparades.",
        "caption": "december 2027",
    },
    "en": {
        "new": "New event",
        "title": "Title",
        "summary": "Summary (Markdown)",
        "date": "Date",
        "starts": "Starts at",
        "ends": "Ends at",
        "online": "Online event",
        "link": "Link to join",
        "publish": "Publish",
        "gap": "does not exist in Swedish time",
        "saved": "The event was saved.",
        "caption": "December 2027",
    },
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_write_publish_and_find_an_event(browser, live_app, live_server, axe, lang, javascript):
    words = WORDS[lang]
    title = f"Webbinarium {uuid.uuid4().hex[:6]}"
    context = browser.new_context(java_script_enabled=javascript, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server.url, live_user(live_app, role="moderator", locale=lang))
        page.goto(f"{live_server.url}/events")
        if javascript:
            assert axe(page) == []
        page.get_by_role("link", name=words["new"]).click()
        page.wait_for_url("**/events/new")
        if javascript:
            assert axe(page) == []
        page.get_by_label(words["title"], exact=True).fill(title)
        page.get_by_label(words["summary"], exact=True).fill("Om **skyfall**.")
        page.get_by_label(words["date"], exact=True).fill("2027-03-28")
        page.get_by_label(words["starts"], exact=True).fill("02:30")
        page.get_by_label(words["ends"], exact=True).fill("04:00")
        page.get_by_label(words["online"]).check()
        page.get_by_label(words["link"]).fill("https://meet.example.org/skyfall")
        page.get_by_role("button", name=words["publish"]).click()
        expect(page.locator("#start_time-error")).to_contain_text(words["gap"])
        expect(page.get_by_label(words["title"], exact=True)).to_have_value(title)
        if javascript:
            assert axe(page) == []
        page.get_by_label(words["date"], exact=True).fill("2027-12-10")
        page.get_by_label(words["starts"], exact=True).fill("12:00")
        page.get_by_label(words["ends"], exact=True).fill("13:00")
        page.get_by_role("button", name=words["publish"]).click()
        expect(page.locator(".flash")).to_contain_text(words["saved"])
        expect(page.locator("h1")).to_have_text(title)
        if javascript:
            assert axe(page) == []
        page.goto(f"{live_server.url}/events?month=2027-12")
        calendar = page.locator("table.calendar")
        expect(calendar.locator("caption")).to_have_text(words["caption"])
        calendar.get_by_role("link", name=f"12:00 {title}").click()
        expect(page.locator("h1")).to_have_text(title)
    finally:
        context.close()
