"""The recording of an event over HTTP: the form per role, plain and htmx, CSRF, bad input (422,
the form filled), oversize uploads (413 with the limit named), the files served with their
types, dispositions and ranges, drafts and cancelled events, the event page's transcript and the
lesson started from an event."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from forum import create_app
from forum.agenda import uploads
from forum.agenda.models import EventRecording
from forum.agenda.service import cancel_event
from tests.events_helpers import make_event, make_past_event
from tests.factories import goal, login_as, make_project, make_user, theme

WEBM = (Path(__file__).parent.parent / "data" / "tiny.webm").read_bytes()
PDF = b"%PDF-1.4\n%demo\n"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Hej och välkomna.\n\n" + (
    "00:12:34.000 --> 00:12:40.000\nOm skyfall.\n"
)
EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", "Accept-Language": "en"}


@pytest.fixture
def past(app, db_session, mod):
    with app.test_request_context("/"):
        project = make_project(db_session, mod, name="Skyfallsgården")
        return make_past_event(
            db_session,
            mod,
            project_id=project.id,
            theme_ids=[theme(db_session, 2).id],
            goal_ids=[goal(db_session, 11).id, goal(db_session, 13).id],
        )


def post(client, event, headers=EN, **fields):
    data = {"video_url": "", "slides_url": "", "captions": "", "captions_language": "sv"}
    data.update(fields)
    return client.post(
        f"/events/{event.id}/recording",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def post_large(client, event, headers=EN, **fields):
    """A body built here: the test client would spool a large one to a file it never closes."""
    values = {"video_url": "", "captions_language": "sv"}
    for name, value in fields.items():
        values[name] = (
            FileStorage(io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
        )
    boundary, body = encode_multipart(values)
    return client.post(
        f"/events/{event.id}/recording",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def attach(client, event, **fields):
    fields.setdefault("video_file", (io.BytesIO(WEBM), "Mitt möte (slutlig).webm"))
    fields.setdefault("captions", VTT)
    response = post(client, event, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("member", 403), ("moderator", 200), ("admin", 200)]
)
def test_the_recording_form_is_for_those_who_manage_events(client, db_session, past, role, status):
    if role:
        login_as(client, make_user(db_session, role=role, locale="en"))
    response = client.get(f"/events/{past.id}/recording", headers=EN)
    assert response.status_code == status
    if status == 403:
        assert "organisers, moderators and administrators can change recordings." in response.text
    if status == 200:
        assert 'enctype="multipart/form-data"' in response.text
        assert "Captions are required for recorded video." in response.text
    assert client.post(f"/events/{past.id}/recording/remove").status_code in (302, 403, 303)


def test_an_uploaded_recording_with_captions_shows_video_track_and_transcript(
    client, db_session, mod, past
):
    login_as(client, mod)
    response = attach(client, past, slides_file=(io.BytesIO(PDF), "bilder.pdf"))
    assert response.headers["Location"].endswith(f"/events/{past.id}#recording")
    page = client.get(f"/events/{past.id}", headers=EN).text
    video = f"/events/{past.id}/recording/video"
    assert (
        f'<video id="event-video" class="event-video" controls preload="metadata" src="{video}">'
        in (page)
    )
    assert re.search(
        rf'<track kind="captions" src="/events/{past.id}/captions.vtt" srclang="sv" '
        r'label="Swedish" default>',
        page,
    )
    assert '<li id="t=1" data-start="1" data-end="4">' in page
    assert f'href="{video}#t=754" data-seek="754"' in page and ">12:34</a>" in page
    assert '<span class="cue-voice">Anna:</span>' in page
    assert '<ol class="transcript" data-video="event-video" lang="sv"' in page  # page in English
    assert f'href="/events/{past.id}/slides"' in page
    assert "No captions yet." not in page
    assert 'src="/static/js/transcript.js"' in page and "<script>" not in page
    stored = db_session.get(EventRecording, past.id)
    db_session.refresh(stored)
    assert "Mitt" not in stored.video_file and "bilder" not in stored.slides_file


def test_a_swedish_page_has_no_lang_on_a_swedish_transcript(client, db_session, mod, past):
    login_as(client, mod)
    attach(client, past)
    page = create_app_client(client).get(f"/events/{past.id}", headers={"Accept-Language": "sv"})
    assert '<ol class="transcript" data-video="event-video" aria-labelledby' in page.text
    assert 'srclang="sv" label="Svenska" default>' in page.text


def test_a_video_without_captions_is_saved_with_a_warning(client, db_session, mod, past):
    login_as(client, mod)
    response = post(client, past, video_url="https://play.example.org/v/42")
    assert response.status_code == 303
    page = client.get(f"/events/{past.id}", headers=EN).text
    assert "No captions yet." in page and "It has no captions yet" in page  # the flash
    assert 'href="https://play.example.org/v/42"' in page and "<video" not in page
    form = client.get(f"/events/{past.id}/recording", headers=EN).text
    assert "The video has no captions yet." in form


def test_the_files_are_served_with_their_types_and_ranges(client, db_session, mod, past):
    login_as(client, mod)
    attach(client, past, slides_file=(io.BytesIO(PDF), "bilder.pdf"))
    client.get("/logout")
    anonymous = create_app_client(client)
    video = anonymous.get(f"/events/{past.id}/recording/video")
    assert video.status_code == 200 and video.mimetype == "video/webm"
    assert video.headers["Content-Disposition"] == f"inline; filename=event-{past.id}.webm"
    assert video.data == WEBM and video.headers["Accept-Ranges"] == "bytes"
    part = anonymous.get(f"/events/{past.id}/recording/video", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == WEBM[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(WEBM)}"
    slides = anonymous.get(f"/events/{past.id}/slides")
    assert slides.mimetype == "application/pdf" and slides.data == PDF
    assert slides.headers["Content-Disposition"] == f"inline; filename=event-{past.id}-slides.pdf"
    for response in (video, part, slides):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()
    vtt = anonymous.get(f"/events/{past.id}/captions.vtt")
    assert vtt.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert vtt.text.startswith("WEBVTT") and "Hej och välkomna." in vtt.text


def create_app_client(client):
    """A second client of the same app, never signed in."""
    return client.application.test_client()


def test_files_of_an_event_without_them_are_not_found(client, db_session, mod, past):
    for path in ("recording/video", "slides", "captions.vtt"):
        assert client.get(f"/events/{past.id}/{path}", headers=EN).status_code == 404
    login_as(client, mod)
    post(client, past, slides_url="https://slides.example.org/deck")
    assert client.get(f"/events/{past.id}/recording/video", headers=EN).status_code == 404


def test_a_draft_is_not_found_and_its_files_are_not_served(client, db_session, mod, app):
    with app.test_request_context("/"):
        draft = make_event(db_session, mod, publish=False)
    # a recording row cannot be made for a draft through the service; one left over is hidden
    db_session.add(EventRecording(event_id=draft.id, captions=VTT, captions_language="sv"))
    db_session.commit()
    for path in ("recording", "recording/video", "slides", "captions.vtt"):
        assert client.get(f"/events/{draft.id}/{path}", headers=EN).status_code in (302, 404)
    login_as(client, make_user(db_session, locale="en"))
    assert client.get(f"/events/{draft.id}/captions.vtt", headers=EN).status_code == 404
    login_as(client, mod)
    response = client.get(f"/events/{draft.id}/recording", headers=EN)
    assert response.status_code == 409 and "Publish it first." in response.text


def test_a_cancelled_event_takes_no_recording(client, db_session, mod, past):
    cancel_event(session=db_session, actor=mod, event=past)
    db_session.commit()
    login_as(client, mod)
    assert client.get(f"/events/{past.id}/recording", headers=EN).status_code == 409
    assert post(client, past, captions=VTT).status_code == 409


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"captions": "00:00:01.000 --> 00:00:02.000\nHej"}, "is not valid WebVTT"),
        ({"video_url": "http://play.example.org/v/1"}, "starting with https://"),
        ({"slides_url": "javascript:alert(1)"}, "starting with https://"),
        ({"video_file": (PDF, "film.webm")}, "as an MP4 or WebM file"),
        ({"slides_file": (WEBM, "bilder.pdf")}, "as a PDF file"),
        ({"captions_file": (b"\xff\xfe\x00W", "a.vtt")}, "text in UTF-8"),
        ({"captions_file": (b"not vtt", "a.vtt")}, "is not valid WebVTT"),
        ({"captions_language": "de", "captions": VTT}, "Not a valid choice"),
    ],
)
@pytest.mark.parametrize("headers", [EN, HX], ids=["plain", "htmx"])
def test_bad_input_is_a_422_with_the_form_filled(client, mod, past, fields, message, headers):
    login_as(client, mod)
    fields = {"video_url": "https://play.example.org/v/7", **fields}
    for name, value in fields.items():
        if isinstance(value, tuple):
            fields[name] = (io.BytesIO(value[0]), value[1])
    if fields["video_url"].startswith("https") and "video_file" in fields:
        fields["video_url"] = ""
    response = post(client, past, headers=headers, **fields)
    assert response.status_code == 422
    assert message in response.text
    assert ("<html" in response.text) == (headers is EN)
    if "captions" in fields and fields["captions"] != VTT:
        assert "00:00:01.000 --&gt; 00:00:02.000" in response.text
    if fields["video_url"]:
        assert f'value="{fields["video_url"]}"' in response.text


def test_an_oversize_upload_is_a_413_with_the_limit_and_the_stored_values(
    client, app, db_session, mod, past
):
    login_as(client, mod)
    post(client, past, video_url="https://play.example.org/v/1")
    app.config["UPLOAD_MAX_MB"] = 1
    for headers in (EN, HX):
        response = post_large(
            client, past, headers, video_file=(WEBM + b"\0" * (1024 * 1024), "stor.webm")
        )
        assert response.status_code == 413
        assert "a video may be at most 1 MB" in response.text
        assert "Nothing was saved." in response.text
        assert 'value="https://play.example.org/v/1"' in response.text
        assert ("<html" in response.text) == (headers is EN)
    anonymous = create_app_client(client)
    elsewhere = anonymous.post("/login", data={"x": "y" * (2 * 1024 * 1024)}, headers=EN)
    assert elsewhere.status_code == 413 and "What you sent is too large." in elsewhere.text


def test_removing_the_recording_deletes_its_files(client, db_session, mod, past):
    login_as(client, mod)
    attach(client, past, slides_file=(io.BytesIO(PDF), "bilder.pdf"))
    stored = db_session.get(EventRecording, past.id)
    paths = [uploads_path(client, stored.video_file), uploads_path(client, stored.slides_file)]
    assert all(path.exists() for path in paths)
    response = client.post(f"/events/{past.id}/recording/remove", headers=EN)
    assert response.status_code == 303
    assert not any(path.exists() for path in paths)
    db_session.expire_all()
    assert db_session.get(EventRecording, past.id) is None
    assert client.get(f"/events/{past.id}/recording/video").status_code == 404
    hx = client.post(f"/events/{past.id}/recording/remove", headers=HX)
    assert hx.status_code == 204 and hx.headers["HX-Redirect"] == f"/events/{past.id}"


def uploads_path(client, name):
    with client.application.app_context():
        return uploads.path_of(name)


def test_htmx_save_answers_with_a_redirect_header(client, mod, past):
    login_as(client, mod)
    response = post(client, past, headers=HX, captions=VTT)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/events/{past.id}#recording"
    form = client.get(f"/events/{past.id}/recording", headers=HX)
    assert form.status_code == 200 and "<html" not in form.text and "WEBVTT" in form.text


def test_posting_without_a_csrf_token_is_refused(app_settings, db_session, mod, past):
    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    client = application.test_client()
    login_as(client, mod)
    for path in ("recording", "recording/remove"):
        response = client.post(f"/events/{past.id}/{path}", data={"captions": VTT}, headers=EN)
        assert response.status_code == 400
        assert "This form has expired or did not come from this site." in response.text
    application.extensions["forum_engine"].dispose()
    assert db_session.get(EventRecording, past.id) is None


def test_a_past_event_offers_a_lesson_filled_from_it(client, db_session, mod, past):
    member = make_user(db_session, locale="en")
    login_as(client, member)
    page = client.get(f"/events/{past.id}", headers=EN).text
    link = re.search(r'href="(/lessons/new\?[^"]+)">Write a lesson from this event', page)
    assert link, page
    url = link.group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(url).query)
    assert query["project"] == ["skyfallsgarden"] and query["sdg"] == ["11", "13"]
    assert query["theme"] == [theme(db_session, 2).slug]
    assert query["link"] == [f"http://localhost/events/{past.id}"]
    form = client.get(url, headers=EN).text
    assert re.search(r'<option selected value="\d+">Skyfallsgården', form)
    goal_13 = goal(db_session, 13).id
    assert re.search(
        rf'<input checked id="goal_ids-\d+" name="goal_ids" type="checkbox" value="{goal_13}"', form
    )
    assert f"http://localhost/events/{past.id}</textarea>" in form


def test_an_upcoming_event_offers_no_lesson_and_visitors_see_none(client, db_session, mod, past):
    upcoming = make_event(db_session, mod)
    login_as(client, make_user(db_session, locale="en"))
    assert "Write a lesson" not in client.get(f"/events/{upcoming.id}", headers=EN).text
    client.get("/logout")
    assert "Write a lesson" not in create_app_client(client).get(f"/events/{past.id}").text


@pytest.mark.parametrize(
    "query",
    [
        "project=nope&theme=nope&sdg=99&sdg=abc&sdg=1234567890123&link=javascript:alert(1)",
        "project=99999999999999999999&theme=&sdg=&link=" + "https://x.example.org/" + "a" * 600,
        "project=%00&sdg=-3&sdg=%E2%91%A2",
    ],
)
def test_unknown_lesson_prefill_values_are_ignored(client, db_session, query):
    login_as(client, make_user(db_session, locale="en"))
    response = client.get(f"/lessons/new?{query}", headers=EN)
    assert response.status_code == 200
    assert "javascript:alert(1)</textarea>" not in response.text
    assert not re.search(r'<option selected value="\d', response.text)


def test_the_recording_form_takes_more_than_the_forums_usual_limit(client, app, mod, past):
    """Elsewhere a request may be 1 MB (MAX_CONTENT_LENGTH) and a text field 500 kB; here a
    video up to UPLOAD_MAX_MB and captions up to their own 2 MB limit."""
    assert app.config["MAX_CONTENT_LENGTH"] < 2 * 1024 * 1024 < app.config["UPLOAD_MAX_MB"] << 20
    login_as(client, mod)
    words = "ord " * 40
    long_captions = "WEBVTT\n\n" + "".join(
        f"00:{n // 60:02d}:{n % 60:02d}.000 --> 00:{n // 60:02d}:{n % 60:02d}.900\n{words}\n\n"
        for n in range(3600)
    )
    assert 500_000 < len(long_captions.encode()) < 2_000_000
    response = post_large(
        client,
        past,
        video_file=(WEBM + b"\0" * (2 * 1024 * 1024), "stor.webm"),
        captions=long_captions,
    )
    assert response.status_code == 303, response.text
    page = client.get(f"/events/{past.id}", headers=EN).text
    assert '<details class="transcript-details">' in page and 'id="t=3599"' in page
