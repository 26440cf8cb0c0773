"""Faces and the footer's pages in a real browser: a picture uploaded through the settings (htmx),
a thread with pictures and initials, the about, privacy and accessibility pages, and a barrier
reported through the statement's form; axe finds nothing serious on any of them."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect
from sqlmodel import select

from forum.moderation.models import BarrierReport, Report
from tests.browser.support import live_session, live_user, log_in
from tests.factories import make_thread


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


# The width of a picture once the browser has loaded it (0 if it fails): visible is not loaded.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth), {once: true});
    img.addEventListener("error", () => done(0), {once: true});
})"""


def test_a_thread_with_a_picture_and_initials(page, live_app, live_server, axe):
    author = live_user(live_app, display_name="Anna Bildsson", locale="sv")
    replier = live_user(live_app, display_name="Bo Initial", locale="sv")
    with live_session(live_app) as session:
        thread, _posts = make_thread(
            session, author, title="Gröna tak och ansikten", replies=[(replier, "Så gjorde vi.")]
        )
    log_in(page, live_server.url, author)
    page.goto(live_server.url + "/settings#settings-picture")
    section = page.locator("#settings-picture")
    section.locator("input[type=file]").set_input_files(
        {"name": "ansikte.png", "mimeType": "image/png", "buffer": _png()}
    )
    section.get_by_role("button", name="Ladda upp bilden").click()
    expect(page.locator("#settings-picture .flash-success")).to_have_text("Bilden är sparad.")
    picture = page.locator("#settings-picture img.avatar")
    expect(picture).to_be_visible()
    assert picture.evaluate(LOADED_WIDTH) == 256

    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/threads/{thread.id}-{thread.slug}?lang={lang}")
        first = page.locator("article.post").first
        expect(first.locator("img.avatar")).to_be_visible()
        assert first.locator("img.avatar").evaluate(LOADED_WIDTH) == 64
        expect(page.locator("article.post").nth(1).locator(".avatar")).to_have_text("BI")
        link = first.get_by_role("link", name="Anna Bildsson")
        expect(link).to_have_attribute("href", f"/u/{author.id}-anna-bildsson")
        assert axe(page) == []
    page.get_by_role("link", name="Bo Initial").first.click()
    expect(page.locator("h1")).to_have_text("Bo Initial")


def test_the_footer_pages_are_accessible_in_both_languages(page, live_server, axe):
    for lang, names in (
        ("sv", ("Om forumet", "Integritet", "Tillgänglighet")),
        ("en", ("About the forum", "Privacy", "Accessibility")),
    ):
        page.goto(f"{live_server.url}/?lang={lang}")
        footer = page.locator("footer.site-footer")
        for name in names:
            footer.get_by_role("link", name=name, exact=True).click()
            expect(page.locator("h1")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            assert axe(page) == [], page.url
            page.go_back()


def test_a_barrier_reported_with_htmx_reaches_the_queue(page, live_app, live_server, axe):
    page.goto(live_server.url + "/accessibility?lang=sv")
    form = page.locator("#report-barrier")
    form.get_by_role("button", name="Skicka rapporten").click()  # empty: the form comes back
    expect(form.locator(".error")).to_contain_text("Beskriv problemet du stötte på.")
    form.get_by_label("Vilken sida?").fill("/lessons")
    form.get_by_label("Vad fungerade inte för dig?").fill("Filtren saknar etiketter i mobilen.")
    form.get_by_label("Din e-postadress").fill("besok@example.org")
    form.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator("#report-barrier .flash-success")).to_contain_text("Tack!")
    assert axe(page) == []
    with live_session(live_app) as session:
        barrier = session.exec(select(BarrierReport).where(BarrierReport.page == "/lessons")).one()
        report = session.exec(
            select(Report).where(Report.item_type == "barrier", Report.item_id == barrier.id)
        ).one()
        assert report.reporter_id is None and barrier.contact_email == "besok@example.org"
        # the live database is shared by the browser tests: leave the queue as it was found
        session.delete(report)
        session.delete(barrier)
        session.commit()
