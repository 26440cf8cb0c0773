"""The heart of the forum in Chromium: start a thread, reply without reload, edit inline,
mark useful and solved. In Swedish, then once in English; accessible theme and thread pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    PUBLISH_WAIT_MS,
    assert_not_reloaded,
    live_user,
    log_in,
    mark_page,
)

TEXT = {
    "sv": {
        "start": "Starta en tråd",
        "preview": "Förhandsgranska",
        "publish": "Publicera tråden",
        "post": "Skicka svar",
        "edit": "Redigera",
        "save": "Spara",
        "useful": "Användbart",
        "solution": "Markera som lösning",
        "solved": "Löst",
        "edited": "redigerat",
        "title": "Rubrik",
        "body": "Text",
        "reply": "Ditt svar",
        "detected": "Upptäckt språk: Svenska",
    },
    "en": {
        "start": "Start a thread",
        "preview": "Preview",
        "publish": "Publish thread",
        "post": "Post reply",
        "edit": "Edit",
        "save": "Save",
        "useful": "Useful",
        "solution": "Mark as solution",
        "solved": "Solved",
        "edited": "edited",
        "title": "Title",
        "body": "Text",
        "reply": "Your reply",
        "detected": "Detected language: English",
    },
}
CONTENT = {
    "sv": (
        "Hur fördröjer ni dagvatten i Västra Hamnen?",
        "Vi planerar **gröna tak** och öppna diken i kvarteret "
        "och undrar vad som har fungerat bäst.",
        "Vi byggde öppna kanaler som leder regnvattnet till en damm i parken.",
        "Vi byggde öppna kanaler och en damm som också är lekplats.",
    ),
    "en": (
        "How do you slow down stormwater in the harbour?",
        "We are planning **green roofs** and open ditches in the block "
        "and wonder what worked best.",
        "We built open channels that lead the rain water to a pond in the park.",
        "We built open channels and a pond that doubles as a playground.",
    ),
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_thread_reply_edit_useful_and_solution(browser, live_server, live_app, lang):
    t = TEXT[lang]
    title, body, answer, edited_answer = CONTENT[lang]
    asker = live_user(live_app, locale=lang, display_name=f"Asker {lang}")
    helper = live_user(live_app, locale=lang, display_name=f"Helper {lang}", organisation="VA SYD")
    locale = "sv-SE" if lang == "sv" else "en-GB"
    asker_context, helper_context = (
        browser.new_context(locale=locale),
        browser.new_context(locale=locale),
    )
    try:
        page = asker_context.new_page()
        log_in(page, live_server.url, asker)
        expect(page.locator("html")).to_have_attribute("lang", lang)

        # start a thread from the theme page, with an htmx preview first
        page.goto(live_server.url + "/t/resilienta-halsosamma-samhallen")
        page.get_by_role("link", name=t["start"]).click()
        page.get_by_label(t["title"], exact=True).fill(title)
        page.get_by_label(t["body"], exact=True).fill(body)
        page.locator("#thread-form input[type=checkbox][value='6']").check()
        mark_page(page)
        page.get_by_role("button", name=t["preview"]).click()
        expect(page.locator("#preview strong")).to_have_text(
            "gröna tak" if lang == "sv" else "green roofs"
        )
        expect(page.locator("#preview")).to_contain_text(t["detected"])
        assert_not_reloaded(page)
        page.get_by_role("button", name=t["publish"]).click()
        expect(page.locator("#thread-title")).to_have_text(title, timeout=PUBLISH_WAIT_MS)
        thread_url = page.url.split("#")[0]

        # another member replies: appended in place, the form is cleared, no reload
        other = helper_context.new_page()
        log_in(other, live_server.url, helper)
        other.goto(thread_url)
        mark_page(other)
        reply_box = other.get_by_label(t["reply"])
        reply_box.fill(answer)
        other.get_by_role("button", name=t["post"]).click()
        expect(other.locator("#posts article.post")).to_have_count(2)
        expect(other.locator("#posts article.post").last).to_contain_text(answer)
        expect(other.get_by_label(t["reply"])).to_have_value("")
        assert_not_reloaded(other)

        # ...edits the reply inline
        reply_post = other.locator("#posts article.post").last
        reply_post.get_by_role("link", name=t["edit"], exact=True).click()
        editor = other.locator("#posts article.post-editing textarea")
        expect(editor).to_have_value(answer)
        editor.fill(edited_answer)
        other.locator("#posts article.post-editing").get_by_role("button", name=t["save"]).click()
        expect(other.locator("#posts article.post").last).to_contain_text(edited_answer)
        expect(other.locator("#posts article.post").last.locator(".edited")).to_have_text(
            t["edited"]
        )
        assert_not_reloaded(other)

        # ...and finds the question useful (htmx swaps only the button)
        first_useful = other.locator("#posts article.post-first .useful-button")
        first_useful.click()
        expect(first_useful).to_have_attribute("aria-pressed", "true")
        expect(other.locator("#posts article.post-first .useful-count")).to_have_text("1")
        assert_not_reloaded(other)

        # the asker marks the answer useful and as the solution
        page.reload()
        answer_post = page.locator("#posts article.post").last
        answer_post.locator(".useful-button").click()
        expect(answer_post.locator(".useful-count")).to_have_text("1")
        answer_post.get_by_role("button", name=t["solution"]).click()
        expect(page.locator("#solution")).to_contain_text(edited_answer)
        expect(page.locator(".thread-header .chip-solved")).to_contain_text(t["solved"])
        page.goto(live_server.url + "/t/resilienta-halsosamma-samhallen")
        expect(page.locator(".thread-row", has_text=title).locator(".chip-solved")).to_be_visible()
    finally:
        asker_context.close()
        helper_context.close()


def test_quote_button_fills_the_reply_box(browser, live_server, live_app):
    asker = live_user(live_app)
    context = browser.new_context(locale="sv-SE")
    try:
        page = context.new_page()
        log_in(page, live_server.url, asker)
        page.goto(live_server.url + "/threads/new?theme=klimatneutral-framtid")
        page.get_by_label("Rubrik", exact=True).fill("Citat i en tråd om Siptex")
        page.get_by_label("Text", exact=True).fill("Hur sorterade Siptex blandade fibrer?")
        page.get_by_role("button", name="Publicera tråden").click()
        expect(page.locator("#thread-title")).to_have_text(
            "Citat i en tråd om Siptex", timeout=PUBLISH_WAIT_MS
        )
        page.get_by_label("Ditt svar").fill("Mitt utkast")
        mark_page(page)
        page.locator("article.post-first").get_by_role("link", name="Citera").click()
        expect(page.get_by_label("Ditt svar")).to_have_value(
            # the first post is #1 of its thread; the link goes to it by its id
            f"Mitt utkast\n\n> **{asker.display_name}** ([#1"
            + f"](/posts/{page.locator('article.post-first').get_attribute('id')[5:]})):\n"
            "> Hur sorterade Siptex blandade fibrer?\n\n"
        )
        assert_not_reloaded(page)
    finally:
        context.close()


def test_theme_and_thread_pages_are_accessible(page, live_server, live_app, axe):
    asker = live_user(live_app)
    log_in(page, live_server.url, asker)
    page.goto(live_server.url + "/threads/new?theme=rattvisa-inkluderande-samhallen")
    assert axe(page) == []
    page.get_by_label("Rubrik", exact=True).fill("Delaktighet i Rosengård: vad har fungerat?")
    page.get_by_label("Text", exact=True).fill("Berätta om **dialogvandringar** och andra metoder.")
    page.get_by_role("button", name="Publicera tråden").click()
    expect(page.locator("#thread-title")).to_be_visible(timeout=PUBLISH_WAIT_MS)
    page.get_by_label("Ditt svar").fill("In English: walks with interpreters worked well for us.")
    page.get_by_role("button", name="Skicka svar").click()
    expect(page.locator("#posts article.post")).to_have_count(2)
    assert axe(page) == []
    page.locator("#posts article.post").last.get_by_role(
        "link", name="Redigera", exact=True
    ).click()
    expect(page.locator("article.post-editing")).to_be_visible()
    assert axe(page) == []
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/t/rattvisa-inkluderande-samhallen?lang={lang}")
        assert axe(page) == []
    page.goto(live_server.url + "/")
    assert axe(page) == []
