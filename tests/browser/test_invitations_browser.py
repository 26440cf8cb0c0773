"""The invitation list in a real browser (Swedish and English, with and without JavaScript): sign
up on the archive page, confirm from the mail the SMTP server received, leave the list; axe-core
on every page of the way."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from forum.invitations import tokens
from forum.invitations.models import Subscriber
from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.mail_fixtures import first_link

WORDS = {
    "sv": {
        "email": "E-postadress",
        "language": "English",
        "sign_up": "Anmäl mig",
        "sent": "Titta i din inkorg",
        "confirm": "Ja, skicka inbjudningarna till mig",
        "thanks": "finns nu på inbjudningslistan",
        "leave": "Lämna listan",
        "left": "Din adress har tagits bort",
    },
    "en": {
        "email": "E-mail address",
        "language": "Svenska",
        "sign_up": "Sign up",
        "sent": "Check your inbox",
        "confirm": "Yes, send me the invitations",
        "thanks": "is on the invitation list",
        "leave": "Leave the list",
        "left": "Your address has been removed",
    },
}


def _wait_for_mail(smtp, address: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp.to(address)
        if messages:
            return messages[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail for {address}")


def _subscriber(live_app, email: str):
    with live_session(live_app) as session:
        return session.exec(select(Subscriber).where(Subscriber.email == email)).first()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sign_up_confirm_and_leave(
    browser, live_app, live_server, smtp_server_session, axe, lang, javascript
):
    words = WORDS[lang]
    context = browser.new_context(java_script_enabled=javascript, locale="sv-SE")
    page = context.new_page()
    try:
        email = f"list.{uuid.uuid4().hex[:8]}@example.org"
        page.goto(f"{live_server.url}/invitations?lang={lang}")
        if javascript:  # axe runs in the page: only with JavaScript
            assert axe(page) == []
            mark_page(page)
        form = page.locator("#invitation-signup")
        form.get_by_label(words["email"]).fill(email)
        form.get_by_label(words["language"]).check()  # the other language than the page's
        form.get_by_role("button", name=words["sign_up"]).click()
        if javascript:  # htmx swaps the answer in place of the form
            expect(page.locator("#invitation-signup[role=status]")).to_contain_text(words["sent"])
            assert_not_reloaded(page)
            assert axe(page) == []
        else:
            page.wait_for_url("**/invitations")
            expect(page.locator(".flash")).to_contain_text(words["sent"])
        mail = _wait_for_mail(smtp_server_session, email)
        other = "en" if lang == "sv" else "sv"
        assert mail["Content-Language"] == other
        assert _subscriber(live_app, email) is None  # nothing stored before confirming
        page.goto(first_link(mail, "/invitations/confirm/"))
        if javascript:
            assert axe(page) == []
        page.get_by_role("button", name=words["confirm"]).click()
        page.wait_for_url("**/invitations")
        expect(page.locator(".flash")).to_contain_text(words["thanks"])
        subscriber = _subscriber(live_app, email)
        assert subscriber is not None and subscriber.locale == other
        with live_app.app_context():
            token = tokens.make_unsubscribe_token(subscriber)
        page.goto(f"{live_server.url}/invitations/unsubscribe/{token}")
        if javascript:
            assert axe(page) == []
        page.get_by_role("button", name=words["leave"]).click()
        expect(page.locator("main")).to_contain_text(words["left"])
        if javascript:
            assert axe(page) == []
        assert _subscriber(live_app, email) is None
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_settings_and_admin_pages_are_accessible(browser, live_app, live_server, axe, lang):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        admin = live_user(live_app, role="admin", locale=lang)  # the account's language wins
        log_in(page, live_server.url, admin)
        for path in ("/settings", "/admin/invitations", "/admin/invitations/new"):
            page.goto(f"{live_server.url}{path}")
            assert axe(page) == [], f"{path} ({lang})"
        subject, text, preview = {
            "sv": ("Ämne (svenska)", "Text på svenska (Markdown)", "Förhandsgranska"),
            "en": ("Subject (Swedish)", "Text in Swedish (Markdown)", "Preview"),
        }[lang]
        page.get_by_label(subject).fill("Workshop om grönytor")
        page.get_by_label(text).fill("Vi ses **i juni**.")
        page.get_by_role("button", name=preview).click()  # htmx renders it in place
        expect(page.locator("#preview strong")).to_have_text("i juni")
        assert axe(page) == []
    finally:
        context.close()
