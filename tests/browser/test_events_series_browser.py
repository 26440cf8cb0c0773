"""A series in a real browser, in Swedish and English: an organiser meets the refusal of a rule
that repeats hourly (the form comes back filled), publishes a monthly series with the friendly
choice, and its page says the rule in words and lists its dates; axe-core on every page."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_user, log_in

WORDS = {
    "sv": {
        "new": "Ny serie",
        "title": "Rubrik",
        "summary": "Sammanfattning (Markdown)",
        "first": "Första datum",
        "starts": "Börjar",
        "ends": "Slutar",
        "repeats": "Återkommer",
        "advanced": "Avancerat: skriv en RRULE",
        "monthly": "Varje månad på en veckodag (t.ex. andra fredagen)",
        "rule": "Upprepningsregel (RRULE)",
        "online": "Evenemang på nätet",
        "link": "Länk för att delta",
        "publish": "Publicera serien",
        "refused": "FREQ=HOURLY är inte tillåtet",
        "in_words": "Den andra fredagen varje månad, 12:00–13:00",
        "coming": "Kommande datum",
    },
    "en": {
        "new": "New series",
        "title": "Title",
        "summary": "Summary (Markdown)",
        "first": "First date",
        "starts": "Starts at",
        "ends": "Ends at",
        "repeats": "Repeats",
        "advanced": "Advanced: write an RRULE",
        "monthly": "Every month on a weekday (e.g. the second Friday)",
        "rule": "Recurrence rule (RRULE)",
        "online": "Online event",
        "link": "Link to join",
        "publish": "Publish the series",
        "refused": "FREQ=HOURLY is not allowed",
        "in_words": "Every month on the second Friday, 12:00–13:00",
        "coming": "Coming dates",
    },
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_organiser_publishes_a_monthly_series(browser, live_app, live_server, axe, lang):
    words = WORDS[lang]
    title = f"Lunchwebbinarium {uuid.uuid4().hex[:6]}"
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server.url, live_user(live_app, role="organiser", locale=lang))
        page.goto(f"{live_server.url}/events")
        page.get_by_role("link", name=words["new"]).click()
        page.wait_for_url("**/events/series/new")
        assert axe(page) == []
        page.get_by_label(words["title"], exact=True).fill(title)
        page.get_by_label(words["summary"], exact=True).fill("Varje månad.")
        page.get_by_label(words["first"], exact=True).fill(str(date.today() + timedelta(days=7)))
        page.get_by_label(words["starts"], exact=True).fill("12:00")
        page.get_by_label(words["ends"], exact=True).fill("13:00")
        page.get_by_label(words["repeats"]).select_option(label=words["advanced"])
        page.get_by_label(words["rule"]).fill("FREQ=HOURLY")
        page.get_by_label(words["online"]).check()
        page.get_by_label(words["link"]).fill("https://meet.example.org/lunch")
        page.get_by_role("button", name=words["publish"]).click()
        expect(page.locator("#rule-error")).to_contain_text(words["refused"])
        expect(page.get_by_label(words["title"], exact=True)).to_have_value(title)
        expect(page.get_by_label(words["rule"])).to_have_value("FREQ=HOURLY")
        assert axe(page) == []
        page.get_by_label(words["repeats"]).select_option(label=words["monthly"])
        page.get_by_role("button", name=words["publish"]).click()
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator(".event-facts")).to_contain_text(words["in_words"])
        expect(page.locator("#upcoming-heading")).to_have_text(words["coming"])
        assert page.locator("#upcoming-heading + ul.event-list li").count() > 5
        assert axe(page) == []
        page.locator("#upcoming-heading + ul.event-list a").first.click()
        expect(page.locator("h1")).to_have_text(title)
        assert axe(page) == []
    finally:
        context.close()
