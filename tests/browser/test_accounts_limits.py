"""A rate-limited login in a real browser (the form is hx-boosted) shows the translated 429
message next to the form, with what was typed kept."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from forum import create_app
from tests import conftest as root_conftest
from tests.browser.conftest import LiveServer


@pytest.fixture
def limited_server(tmp_path, migrated_db_template):
    shutil.copy(migrated_db_template, tmp_path / "forum.db")
    app = create_app(
        root_conftest.test_settings(
            DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
            SEARCH_DIR=str(tmp_path / "search"),
            INSTANCE_DIR=str(tmp_path / "instance"),
            MAIL_DIR=str(tmp_path / "mail"),
            WTF_CSRF_ENABLED=True,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            RATELIMIT_LOGIN="2 per minute",
        )
    )
    server = LiveServer(app).start()
    yield server
    server.stop()
    app.extensions["forum_engine"].dispose()


def test_too_many_logins_show_the_429_message(page, limited_server):
    page.goto(limited_server.url + "/login")
    for _ in range(2):
        page.get_by_label("E-postadress").fill("nobody@example.org")
        page.get_by_label("Lösenord").fill("not the password")
        # the first answer's message is still shown while the second is on its way: wait for
        # the answer, or the next fill races the form htmx swaps in
        with page.expect_response(lambda r: r.request.method == "POST" and "/login" in r.url):
            page.get_by_role("button", name="Logga in").click()
        expect(page.locator(".htmx-request")).to_have_count(0)  # and for its swap
        expect(page.locator(".form-error")).to_contain_text(
            "E-postadressen eller lösenordet är fel."
        )
    page.get_by_label("E-postadress").fill("nobody@example.org")
    page.get_by_label("Lösenord").fill("not the password")
    page.get_by_role("button", name="Logga in").click()
    message = page.locator("form .htmx-error")
    expect(message).to_have_text("Du har gjort det för ofta. Vänta en stund och försök igen.")
    expect(message).to_be_focused()
    expect(page.get_by_label("E-postadress")).to_have_value("nobody@example.org")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
