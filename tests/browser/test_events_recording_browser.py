"""The recording of an event in a real browser (Swedish and English): a moderator uploads a tiny
WebM video (``tests/data/tiny.webm``, 40 s of 32x32 VP8 made with PyAV) with pasted captions, the
event page plays it with its captions track, a time code in the transcript seeks the video, and
``/events/<id>#t=N`` (the address search links to) lands on the cue and the moment, with and
without JavaScript; axe-core on every page of the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session, live_user, log_in
from tests.events_helpers import make_past_event

VIDEO = Path(__file__).parent.parent / "data" / "tiny.webm"
CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:05.000
<v Anna>Välkomna till webbinariet.

00:00:20.000 --> 00:00:25.000
<v Omar>Vi ritade om gården för skyfall.

00:00:30.000 --> 00:00:36.000
Frågor från deltagarna.
"""
WORDS = {
    "sv": {
        "manage": "Inspelning, bildspel och undertexter",
        "file": "Eller ladda upp videon (MP4 eller WebM)",
        "paste": "Eller klistra in undertexterna (WebVTT)",
        "save": "Spara",
        "saved": "Inspelningen sparades.",
    },
    "en": {
        "manage": "Recording, slides and captions",
        "file": "Or upload the video (MP4 or WebM)",
        "paste": "Or paste the captions (WebVTT)",
        "save": "Save",
        "saved": "The recording was saved.",
    },
}
SEEKED = (
    "([seconds]) => { const v = document.getElementById('event-video');"
    " return v && Math.abs(v.currentTime - seconds) < 0.5; }"
)


def past_event(live_app, mod):
    with live_app.test_request_context("/"), live_session(live_app) as session:
        return make_past_event(
            session,
            mod,
            title="Webbinarium om skyfall",
        )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_upload_a_recording_and_seek_it_from_the_transcript(
    browser, live_app, live_server, axe, lang
):
    words = WORDS[lang]
    mod = live_user(live_app, role="moderator", locale=lang)
    event = past_event(live_app, mod)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server.url, mod)
        page.goto(f"{live_server.url}/events/{event.id}")
        page.get_by_role("link", name=words["manage"]).click()
        page.wait_for_url(f"**/events/{event.id}/recording")
        assert axe(page) == []
        page.get_by_label(words["file"]).set_input_files(str(VIDEO))
        page.get_by_label(words["paste"]).fill(CAPTIONS)
        page.get_by_role("button", name=words["save"], exact=True).click()
        expect(page.locator(".flash")).to_contain_text(words["saved"])
        track = page.locator("#event-video track[kind=captions]")
        expect(track).to_have_attribute("srclang", "sv")
        expect(page.locator("li[id='t=20'] .cue-voice")).to_have_text("Omar:")
        assert axe(page) == []

        page.locator("li[id='t=20'] a.cue-time").click()
        page.wait_for_function(SEEKED, arg=[20], timeout=20_000)
        expect(page.locator("li[id='t=20']")).to_have_attribute("aria-current", "true")
        assert page.url.endswith(f"/events/{event.id}#t=20")

        page.goto(f"{live_server.url}/events/{event.id}#t=30")
        page.wait_for_function(SEEKED, arg=[30], timeout=20_000)
        expect(page.locator("li[id='t=30']")).to_have_attribute("aria-current", "true")
        expect(page.locator("li[id='t=30']")).to_be_in_viewport()
        assert axe(page) == []
    finally:
        context.close()


# more cues than the page shows unfolded: the cue sits in a closed <details>
LONG = CAPTIONS + "".join(
    f"\n00:01:{n:02d}.000 --> 00:01:{n:02d}.900\nTextruta {n}.\n" for n in range(0, 60, 4)
)


def test_without_javascript_the_moment_lands_on_its_cue(browser, live_app, live_server):
    mod = live_user(live_app, role="moderator", locale="en")
    event = past_event(live_app, mod)
    with live_app.test_request_context("/"), live_session(live_app) as session:
        from forum.agenda.recordings import RecordingInput, save_recording

        save_recording(
            session=session,
            actor=mod,
            event=event,
            data=RecordingInput(video_url="https://play.example.org/v/9", captions=LONG),
        )
        session.commit()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 800, "height": 400})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/events/{event.id}#t=68")
        cue = page.locator("li[id='t=68']")
        expect(cue).to_be_in_viewport()
        expect(page.locator("li:target")).to_have_attribute("id", "t=68")
        expect(page.locator("details.transcript-details")).to_have_attribute("open", "")
        assert cue.locator("a.cue-time").get_attribute("href") == "#t=68"
        expect(page.get_by_text("No captions yet")).to_have_count(0)
    finally:
        context.close()
