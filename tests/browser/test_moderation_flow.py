"""Moderators in a real browser, in Swedish: handling a report, pinning, locking and moving a
thread, with htmx and with JavaScript off; the queue and the log pass axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.support import assert_not_reloaded, live_session, live_user, log_in, mark_page
from tests.factories import make_thread


def live_thread(live_app, title: str, replies: int = 1):
    with live_session(live_app) as session:
        return make_thread(session, title=title, replies=replies)


def thread_path(thread) -> str:
    return f"/threads/{thread.id}-{thread.slug}"


def test_member_reports_and_moderator_hides_from_the_queue(browser, live_server, live_app, axe):
    reporter = live_user(live_app, display_name="Anmälare Anna")
    moderator = live_user(live_app, role="moderator", display_name="Moderator Maja")
    thread, posts = live_thread(live_app, "Solceller och reklam i tråden")
    member_ctx, mod_ctx = browser.new_context(locale="sv-SE"), browser.new_context(locale="sv-SE")
    try:
        page = member_ctx.new_page()
        log_in(page, live_server.url, reporter)
        page.goto(live_server.url + thread_path(thread))
        reply = page.locator(f"#post-{posts[1].id}")
        mark_page(page)
        reply.get_by_role("link", name="Anmäl").click()
        reply.get_by_label("Spam eller reklam").check()
        reply.get_by_label("Kommentar till moderatorerna (valfri)").fill(
            "Säljer solpaneler i varje inlägg"
        )
        reply.get_by_role("button", name="Skicka anmälan").click()
        expect(reply.locator(".chip-reported")).to_have_text("Anmäld")
        assert_not_reloaded(page)

        mod = mod_ctx.new_page()
        log_in(mod, live_server.url, moderator)
        expect(mod.locator(".mod-queue-link .badge")).to_contain_text("1")
        mod.locator(".mod-queue-link").click()
        expect(mod.locator("h1")).to_have_text("Modereringskö")
        entry = mod.locator(f"#queue-post-{posts[1].id}")
        expect(entry).to_contain_text("Säljer solpaneler i varje inlägg")
        expect(entry).to_contain_text("Anmälare Anna")
        assert axe(mod) == []
        mark_page(mod)
        entry.locator("summary", has_text="Dölj").click()
        entry.get_by_label("Skäl (medlemmarna ser det)").fill("Reklam")
        entry.get_by_role("button", name="Dölj inlägget").click()
        expect(mod.locator(".queue-done")).to_have_text("Inlägget är dolt.")
        assert_not_reloaded(mod)

        page.goto(live_server.url + thread_path(thread))
        expect(page.locator(f"#post-{posts[1].id}")).to_contain_text("Dold av en moderator: Reklam")
        mod.goto(live_server.url + "/mod/log")
        expect(mod.locator(".log-table tbody tr").first).to_contain_text("Inlägg dolt")
        assert axe(mod) == []
    finally:
        member_ctx.close()
        mod_ctx.close()


def test_pin_lock_and_move_inline_with_htmx(browser, live_server, live_app):
    moderator = live_user(live_app, role="moderator")
    thread, _ = live_thread(live_app, "Cykelparkering vid stationen", replies=0)
    ctx = browser.new_context(locale="sv-SE")
    try:
        page = ctx.new_page()
        log_in(page, live_server.url, moderator)
        page.goto(live_server.url + thread_path(thread))
        mark_page(page)
        controls = page.locator(f"#thread-controls-{thread.id}")
        controls.locator("summary").click()
        controls.get_by_role("button", name="Fäst i sitt tema").click()
        expect(page.locator(".mod-message")).to_have_text("Tråden är fäst i sitt tema.")
        page.locator(f"#thread-controls-{thread.id}").get_by_role(
            "button", name="Lås", exact=True
        ).click()
        expect(page.locator(".mod-message")).to_have_text("Tråden är låst.")
        expect(
            page.locator(f"#thread-controls-{thread.id}").get_by_role("button", name="Lås upp")
        ).to_be_visible()
        assert_not_reloaded(page)

        page.locator(f"#thread-controls-{thread.id}").get_by_role(
            "link", name="Flytta till ett annat tema…"
        ).click()
        page.get_by_label("Nytt tema").select_option(label="Rättvisa och inkluderande samhällen")
        page.get_by_role("button", name="Flytta", exact=True).click()
        expect(page.locator(".breadcrumbs")).to_contain_text("Rättvisa och inkluderande samhällen")
        expect(page.locator(".flash")).to_contain_text("Tråden är flyttad.")
        expect(page.locator(".thread-header .chip-pinned")).to_be_visible()
        expect(page.locator(".thread-header .notice-locked")).to_be_visible()
    finally:
        ctx.close()


def test_pin_lock_and_move_without_javascript(browser, live_server, live_app):
    moderator = live_user(live_app, role="moderator")
    thread, _ = live_thread(live_app, "Dagvatten i Augustenborg utan JS", replies=0)
    ctx = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = ctx.new_page()
        log_in(page, live_server.url, moderator)
        page.goto(live_server.url + thread_path(thread))
        controls = page.locator(f"#thread-controls-{thread.id}")
        controls.locator("summary").click()  # <details> opens without JavaScript
        controls.get_by_role("button", name="Fäst i sitt tema").click()
        expect(page.locator(".flash")).to_contain_text("Tråden är fäst i sitt tema.")
        expect(page.locator(".thread-header .chip-pinned")).to_be_visible()
        page.locator(f"#thread-controls-{thread.id} summary").click()
        page.locator(f"#thread-controls-{thread.id}").get_by_role(
            "button", name="Lås", exact=True
        ).click()
        expect(page.locator(".thread-header .notice-locked")).to_be_visible()

        page.locator(f"#thread-controls-{thread.id} summary").click()
        page.locator(f"#thread-controls-{thread.id}").get_by_role(
            "link", name="Flytta till ett annat tema…"
        ).click()
        expect(page.locator("h1")).to_have_text("Flytta tråden till ett annat tema")
        page.get_by_label("Nytt tema").select_option(label="Resilienta och hälsosamma samhällen")
        page.get_by_role("button", name="Flytta", exact=True).click()
        expect(page.locator(".breadcrumbs")).to_contain_text("Resilienta och hälsosamma samhällen")
        expect(page.locator(".flash")).to_contain_text("Tråden är flyttad.")
    finally:
        ctx.close()


def test_hide_a_post_inline_with_and_without_javascript(browser, live_server, live_app):
    moderator = live_user(live_app, role="moderator")
    thread, posts = live_thread(live_app, "Gröna tak och personuppgifter", replies=2)
    for js in (True, False):
        target = posts[1] if js else posts[2]
        ctx = browser.new_context(java_script_enabled=js, locale="sv-SE")
        try:
            page = ctx.new_page()
            log_in(page, live_server.url, moderator)
            page.goto(live_server.url + thread_path(thread))
            post = page.locator(f"#post-{target.id}")
            post.locator(".mod-post-menu summary").click()
            post.get_by_role("link", name="Dölj…").click()
            if js:
                page.get_by_label("Skäl").fill("Telefonnummer i texten")
            else:
                expect(page.locator("h1")).to_have_text("Dölj inlägget")
                page.get_by_label("Skäl").fill("Telefonnummer i texten")
            page.get_by_role("button", name="Dölj", exact=True).click()
            hidden = page.locator(f"#post-{target.id}")
            expect(hidden).to_have_class(__import__("re").compile(r"post-hidden"))
            expect(hidden).to_contain_text("Dold av en moderator: Telefonnummer i texten")
        finally:
            ctx.close()


def test_moderation_pages_and_open_menus_are_accessible(browser, live_server, live_app, axe):
    moderator = live_user(live_app, role="moderator")
    member = live_user(live_app, display_name="Varnad Vera")
    thread, posts = live_thread(live_app, "Tillgänglighet för moderatorer", replies=1)
    ctx = browser.new_context(locale="sv-SE")
    try:
        page = ctx.new_page()
        log_in(page, live_server.url, moderator)
        page.goto(live_server.url + thread_path(thread))
        page.locator(f"#thread-controls-{thread.id} summary").click()
        page.locator(f"#post-{posts[1].id} .mod-post-menu summary").click()
        page.locator(f"#post-{posts[1].id}").get_by_role("link", name="Dölj…").click()
        expect(page.locator("#mod-action-form")).to_be_visible()
        assert axe(page) == []
        page.goto(live_server.url + f"/mod/users/{member.id}")
        page.get_by_label("Meddelande till användaren").fill("Tänk på tonen")
        page.get_by_role("button", name="Skicka varningen").click()
        expect(page.locator("#user-panel .flash")).to_contain_text(
            "Varnad Vera har fått en varning."
        )
        assert axe(page) == []
    finally:
        ctx.close()
    ctx = browser.new_context(locale="sv-SE")
    try:
        page = ctx.new_page()
        log_in(page, live_server.url, member)
        page.get_by_role("link", name="1 varning från moderatorerna").click()
        expect(page.locator(".mod-warning")).to_contain_text("Tänk på tonen")
        assert axe(page) == []
        page.get_by_role("button", name="Jag har läst detta").click()
        expect(page.locator(".flash")).to_contain_text("Tack för att du läste varningen.")
        expect(page.get_by_role("link", name="1 varning från moderatorerna")).to_have_count(0)
    finally:
        ctx.close()
