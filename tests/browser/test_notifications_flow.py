"""Watching a theme in a real browser, in Swedish and English, with and without JavaScript: another
member starts a thread there, the badge in the header says so, opening the notification leads to
the thread and marks it read; axe-core finds nothing serious on the pages."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from forum.core.models import Theme
from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.factories import make_thread

_numbers = itertools.count(1)
TEXT = {
    "sv": {
        "control": "Aviseringar",
        "save": "Spara",
        "watching": "Du bevakar det här nu",
        "badge": "1 oläst avisering",
        "started": "startade",
    },
    "en": {
        "control": "Notifications",
        "save": "Save",
        "watching": "You are watching this now",
        "badge": "1 unread notification",
        "started": "started",
    },
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_watch_a_theme_see_the_badge_open_the_notification(
    browser, live_server, live_app, axe, lang, javascript
):
    n = next(_numbers)
    words = TEXT[lang]
    watcher = live_user(live_app, display_name=f"Bevakare {n}", locale=lang)
    author = live_user(live_app, display_name=f"Skribent {n}")
    context = browser.new_context(locale="sv-SE", java_script_enabled=javascript)
    try:
        page = context.new_page()
        log_in(page, live_server.url, watcher)
        page.goto(f"{live_server.url}/t/resilienta-halsosamma-samhallen")
        control = page.locator("#watch-form-theme")
        control.get_by_label(words["control"], exact=True).select_option("watching")
        if javascript:
            mark_page(page)
        control.get_by_role("button", name=words["save"], exact=True).click()
        if javascript:  # swapped in place and announced in the live region
            expect(page.locator("#watch-status-theme")).to_contain_text(words["watching"])
            assert_not_reloaded(page)
        else:  # a 303 back to the theme, with the message
            expect(page.locator(".flashes")).to_contain_text(words["watching"])
        expect(page.locator("#watch-level-theme")).to_have_value("watching")
        assert not javascript or axe(page) == []  # axe needs scripts

        title = f"Värmeböljor och äldreboenden {n}"
        with live_session(live_app) as session:
            theme = session.exec(
                select(Theme).where(Theme.slug == "resilienta-halsosamma-samhallen")
            ).one()
            make_thread(session, author, title=title, body="Hur kyler ni lokalerna?", theme=theme)

        page.goto(live_server.url + "/")
        link = page.get_by_role("link", name=re.compile(words["badge"]))
        expect(link).to_be_visible()
        link.click()
        entry = page.locator(".notification.is-unread")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(f"Skribent {n} {words['started']}")
        assert not javascript or axe(page) == []  # axe needs scripts
        entry.get_by_role("button").first.click()
        expect(page.locator("#thread-title")).to_have_text(title)
        expect(page.locator("#notification-count")).to_have_count(0)
        page.goto(live_server.url + "/notifications")
        expect(page.locator(".notification")).to_have_count(1)
        expect(page.locator(".notification.is-unread")).to_have_count(0)
    finally:
        context.close()
