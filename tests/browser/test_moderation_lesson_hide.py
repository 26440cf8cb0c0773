"""A moderator hides a lesson from the inline menu on its page (htmx, in Swedish) and restores it;
a member sees only the reason in between; the page passes axe-core for both."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import expect

from tests.browser.support import live_session, live_user, log_in
from tests.factories import make_project_with_lesson


def live_lesson(live_app: Flask):
    with live_session(live_app) as session:
        with live_app.test_request_context():
            return make_project_with_lesson(session, name="Solparken i Ystad")


def test_moderator_hides_and_restores_a_lesson_inline(browser, live_server, live_app, axe):
    moderator = live_user(live_app, role="moderator", display_name="Moderator Mona")
    reader = live_user(live_app, display_name="Läsare Lisa")
    _project, lesson = live_lesson(live_app)
    url = f"{live_server.url}/lessons/{lesson.id}-{lesson.slug}"
    mod_ctx, member_ctx = browser.new_context(locale="sv-SE"), browser.new_context(locale="sv-SE")
    try:
        mod = mod_ctx.new_page()
        log_in(mod, live_server.url, moderator)
        mod.goto(url)
        menu = mod.locator(".mod-item-menu")
        menu.locator("summary").click()
        menu.get_by_role("link", name="Dölj…").click()
        mod.get_by_label("Skäl").fill("Reklam för en konsult")
        mod.get_by_role("button", name="Dölj", exact=True).click()
        expect(mod.locator("article.lesson")).to_have_class("lesson item-hidden")
        expect(mod.locator(".lesson-header .notice")).to_have_text(
            "Dold av en moderator: Reklam för en konsult"
        )
        assert axe(mod) == []

        page = member_ctx.new_page()
        log_in(page, live_server.url, reader)
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Dold lärdom")
        expect(page.locator("main")).not_to_contain_text("Invånarna ville äga energin")
        assert axe(page) == []

        mod.locator(".mod-item-menu summary").click()
        mod.get_by_role("button", name="Återställ").click()
        expect(mod.locator("article.lesson")).to_have_class("lesson")
        page.goto(url)
        expect(page.locator("main")).to_contain_text("Invånarna ville äga energin")
    finally:
        mod_ctx.close()
        member_ctx.close()
