"""The same discussion flow with JavaScript disabled: every action is a real link or form."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.support import live_user, log_in


def test_discussion_flow_without_javascript(browser, live_server, live_app):
    asker = live_user(live_app, display_name="Utan JS Frågare")
    helper = live_user(live_app, display_name="Utan JS Svarare")
    asker_context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    helper_context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = asker_context.new_page()
        log_in(page, live_server.url, asker)
        page.goto(live_server.url + "/t/klimatneutral-framtid")
        page.get_by_role("link", name="Starta en tråd").click()
        page.get_by_label("Rubrik", exact=True).fill("Solceller på flerbostadshus utan JavaScript")
        page.get_by_label("Text", exact=True).fill(
            "Hur har ni *delat* solelen mellan lägenheterna i Hyllie?"
        )
        page.get_by_role(
            "button", name="Förhandsgranska"
        ).click()  # a full round trip that writes nothing
        expect(page.locator("#preview em")).to_have_text("delat")
        expect(page.get_by_label("Rubrik", exact=True)).to_have_value(
            "Solceller på flerbostadshus utan JavaScript"
        )
        page.get_by_role("button", name="Publicera tråden").click()
        expect(page.locator("#thread-title")).to_have_text(
            "Solceller på flerbostadshus utan JavaScript"
        )
        thread_url = page.url.split("#")[0]

        other = helper_context.new_page()
        log_in(other, live_server.url, helper)
        other.goto(thread_url)
        # quote without JS: a link that reloads the page with the quote in the reply box
        other.locator("article.post-first").get_by_role("link", name="Citera").click()
        assert "> Hur har ni *delat* solelen" in other.get_by_label("Ditt svar").input_value()
        other.get_by_label("Ditt svar").fill("Vi använder en gemensam elmätare för hela huset.")
        other.get_by_role("button", name="Skicka svar").click()
        assert "#post-" in other.url  # 303 to the permalink of the new post
        expect(other.locator("#posts article.post")).to_have_count(2)

        # edit on its own page
        other.locator("#posts article.post").last.get_by_role(
            "link", name="Redigera", exact=True
        ).click()
        expect(other.locator("h1")).to_have_text("Redigera inlägget")
        other.locator("article.post-editing textarea").fill(
            "Vi använder en gemensam elmätare och delar upp kostnaden."
        )
        other.get_by_role("button", name="Spara").click()
        reply = other.locator("#posts article.post").last
        expect(reply).to_contain_text("delar upp kostnaden")
        expect(reply.locator(".edited")).to_have_text("redigerat")
        reply.get_by_role("link", name="Tidigare versioner").click()
        expect(other.locator("pre.diff .diff-added")).to_contain_text("delar upp kostnaden")

        # useful and solution with plain forms
        page.goto(thread_url)
        answer = page.locator("#posts article.post").last
        answer.get_by_role("button", name="Användbart").click()
        expect(page.locator("#posts article.post").last.locator(".useful-count")).to_have_text("1")
        page.locator("#posts article.post").last.get_by_role(
            "button", name="Markera som lösning"
        ).click()
        expect(page.locator("#solution")).to_contain_text("delar upp kostnaden")
        expect(page.locator(".thread-header .chip-solved")).to_contain_text("Löst")
    finally:
        asker_context.close()
        helper_context.close()
