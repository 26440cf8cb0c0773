"""Accounts in a real browser: register, confirm from the mail received by the SMTP server, log in,
edit the profile, log out; and axe-core on the account pages."""

from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import expect

from tests.mail_fixtures import first_link

PASSWORD = "gröna tak över augustenborg"


def _wait_for_mail(smtp, address: str, count: int = 1, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp.to(address)
        if len(messages) >= count:
            return messages[count - 1]
        time.sleep(0.05)
    raise AssertionError(f"no mail for {address}")


def _register(page, live_server, email: str, name: str = "Lina Berg") -> None:
    page.goto(live_server.url + "/register")
    page.get_by_label("Visningsnamn").fill(name)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_label("Lösenord igen").fill(PASSWORD)
    page.get_by_label("Organisation (frivilligt)").fill("Malmö stad")
    page.get_by_label("Du företräder").select_option("public")
    page.get_by_label("Jag godkänner forumets villkor").check()
    page.get_by_role("button", name="Skapa konto").click()
    page.wait_for_url(live_server.url + "/")  # signed in at once, to read until confirmed


def test_register_confirm_login_edit_profile_logout(page, live_server, smtp_server_session):
    email = f"lina.{uuid.uuid4().hex[:8]}@example.org"
    _register(page, live_server, email)
    expect(page.locator(".flash")).to_contain_text("Välkommen till forumet, Lina Berg!")
    expect(page.locator(".flash")).to_contain_text("Vi har skickat en bekräftelselänk")
    expect(page.locator("#confirm-notice")).to_be_visible()

    message = _wait_for_mail(smtp_server_session, email)
    assert message["Subject"] == "Bekräfta din e-postadress"
    link = first_link(message, "/confirm/")
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Bekräfta min e-postadress").click()
    page.wait_for_url("**/settings")
    expect(page.locator(".flash")).to_contain_text("din e-postadress är bekräftad")
    expect(page.locator("#confirm-notice")).to_have_count(0)

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Logga ut", exact=True).click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/login")
    page.get_by_label("E-postadress").fill(email.upper())
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Kom ihåg mig på den här enheten").check()
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.locator(".flash")).to_contain_text("Välkommen tillbaka, Lina Berg.")
    expect(page.locator("#confirm-notice")).to_have_count(0)

    menu = page.locator(".account-menu summary")
    expect(menu).to_contain_text("Lina Berg")
    menu.click()
    page.get_by_role("link", name="Inställningar").click()
    page.wait_for_url("**/settings")
    section = page.locator("#settings-profile")
    section.get_by_label("Organisation (frivilligt)").fill("Malmö stad, miljöförvaltningen")
    section.get_by_label("Om dig (Markdown)").fill("Arbetar med **skyfallsplanering**.")
    section.get_by_role("button", name="Spara profil").click()
    expect(page.locator("#settings-profile")).to_contain_text("Din profil är sparad.")
    page.locator("#settings-profile").get_by_role("link", name="Se din offentliga profil").click()
    page.wait_for_url(re.compile(r".*/u/\d+-lina-berg$"))
    expect(page.locator(".profile-org")).to_have_text("Malmö stad, miljöförvaltningen")
    expect(page.locator(".profile-bio strong")).to_have_text("skyfallsplanering")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.locator(".flash")).to_contain_text("Du är utloggad.")
    expect(page.locator(".account-nav").get_by_role("link", name="Logga in")).to_be_visible()
    page.goto(live_server.url + "/settings")
    page.wait_for_url("**/login?next=%2Fsettings")


def test_unconfirmed_user_gets_a_new_link_with_the_button(page, live_server, smtp_server_session):
    email = f"omar.{uuid.uuid4().hex[:8]}@example.org"
    _register(page, live_server, email, name="Omar Said")
    notice = page.locator("#confirm-notice")
    expect(notice).to_contain_text("Bekräfta din e-postadress.")
    notice.get_by_role("button", name="Skicka länken igen").click()
    expect(page.locator("#confirm-notice")).to_contain_text("Vi har skickat en ny bekräftelselänk")
    second = _wait_for_mail(smtp_server_session, email, count=2)
    page.goto(first_link(second, "/confirm/"))
    page.get_by_role("button", name="Bekräfta min e-postadress").click()
    page.wait_for_url("**/settings")
    expect(page.locator("#confirm-notice")).to_have_count(0)


def test_account_menu_works_without_javascript(browser, live_server, smtp_server_session):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        email = f"nojs.{uuid.uuid4().hex[:8]}@example.org"
        _register(page, live_server, email, name="Utan Skript")
        page.locator(".account-menu summary").click()
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(live_server.url + "/")
        expect(page.locator(".flash")).to_contain_text("Du är utloggad.")
    finally:
        context.close()


def test_account_pages_are_accessible(page, live_server, axe, smtp_server_session):
    for lang in ("sv", "en"):
        for path in ("/register", "/login", "/reset", "/terms"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            assert axe(page) == [], f"{path} ({lang})"
    # a form with errors
    page.goto(live_server.url + "/register?lang=sv")
    page.get_by_role("button", name="Skapa konto").click()
    expect(page.locator(".field .error").first).to_be_visible()
    assert axe(page) == []
    # logged in: settings, the open menu, the profile and the delete page
    email = f"axe.{uuid.uuid4().hex[:8]}@example.org"
    _register(page, live_server, email, name="Tillgänglig Testare")
    for path in ("/settings", "/settings/delete"):
        page.goto(live_server.url + path)
        assert axe(page) == [], path
    page.locator(".account-menu summary").click()
    assert axe(page) == []
    page.locator(".account-menu").get_by_role("link", name="Min profil").click()
    page.wait_for_url(re.compile(r".*/u/\d+-"))
    assert axe(page) == []


def test_account_pages_fit_a_small_screen(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/register", "/login", "/terms"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
