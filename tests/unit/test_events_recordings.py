"""The recording service: attach, replace and remove (files named by the forum, deleted once the
change commits, kept when it rolls back), file types by content, links, captions refused, states
that take no recording, the transcript's anchors and the demo recordings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from forum.accounts.demo import demo_user, seed_demo_accounts
from forum.agenda import uploads
from forum.agenda.afterwards import transcript
from forum.agenda.demo_recordings import DEMO_CAPTIONS, seed_demo_recordings
from forum.agenda.models import EventRecording
from forum.agenda.recordings import (
    RecordingInput,
    TooLarge,
    Upload,
    remove_recording,
    save_recording,
    video_type,
)
from forum.agenda.service import cancel_event
from forum.domain import Conflict, InvalidInput, NotAllowed
from tests.events_helpers import make_event, make_past_event
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("ctx")

WEBM = (Path(__file__).parent.parent / "data" / "tiny.webm").read_bytes()
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
PDF = b"%PDF-1.4\n%demo\n"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Hej och välkomna.\n"


def upload(data: bytes) -> Upload:
    return Upload(io.BytesIO(data))


@pytest.fixture
def past_event(db_session, mod):
    return make_past_event(
        db_session,
        mod,
    )


def save(db_session, mod, event, **fields):
    recording = save_recording(
        session=db_session, actor=mod, event=event, data=RecordingInput(**fields)
    )
    db_session.commit()
    return recording


def test_an_uploaded_video_is_stored_under_a_name_the_forum_makes(app, db_session, mod, past_event):
    recording = save(db_session, mod, past_event, video_upload=upload(WEBM), captions=VTT)
    assert recording.video_type == "video/webm"
    name = recording.video_file
    assert name.startswith(f"events/{past_event.id}/") and name.endswith(".webm")
    assert len(Path(name).stem) == 32  # random hex, never the member's file name
    path = uploads.path_of(name)
    assert path.read_bytes() == WEBM
    assert Path(app.config["INSTANCE_DIR"]) / "uploads" in path.parents
    assert recording.captions_language == "sv"


def test_replacing_a_video_deletes_the_old_file_after_the_commit(db_session, mod, past_event):
    first = save(db_session, mod, past_event, video_upload=upload(WEBM)).video_file
    old = uploads.path_of(first)
    second = save(db_session, mod, past_event, video_upload=upload(MP4_HEAD)).video_file
    assert second != first and second.endswith(".mp4")
    assert not old.exists() and uploads.path_of(second).exists()
    # a link replaces the kept file too
    save(db_session, mod, past_event, video_url="https://play.example.org/v/1")
    recording = db_session.get(EventRecording, past_event.id)
    assert recording.video_file is None and recording.video_type is None
    assert not uploads.path_of(second).exists()


def test_a_refused_change_keeps_the_old_files_and_deletes_the_new_one(db_session, mod, past_event):
    kept = uploads.path_of(save(db_session, mod, past_event, video_upload=upload(WEBM)).video_file)
    with pytest.raises(InvalidInput):
        save_recording(
            session=db_session,
            actor=mod,
            event=past_event,
            data=RecordingInput(video_upload=upload(WEBM), slides_upload=upload(b"not a pdf")),
        )
    db_session.rollback()
    assert kept.exists()
    assert [p for p in kept.parent.iterdir()] == [kept]


def test_leaving_the_file_fields_empty_keeps_the_files(db_session, mod, past_event):
    saved = save(db_session, mod, past_event, video_upload=upload(WEBM), slides_upload=upload(PDF))
    again = save(db_session, mod, past_event, captions=VTT)
    assert (again.video_file, again.slides_file) == (saved.video_file, saved.slides_file)
    assert again.captions.startswith("WEBVTT")


def test_removing_deletes_the_row_and_its_files(db_session, mod, past_event):
    saved = save(db_session, mod, past_event, video_upload=upload(WEBM), slides_upload=upload(PDF))
    paths = [uploads.path_of(saved.video_file), uploads.path_of(saved.slides_file)]
    assert remove_recording(session=db_session, actor=mod, event=past_event) is True
    db_session.commit()
    assert db_session.get(EventRecording, past_event.id) is None
    assert not any(path.exists() for path in paths)
    assert remove_recording(session=db_session, actor=mod, event=past_event) is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"video_upload": upload(b"RIFF....AVI LIST")}, "video_file"),
        ({"video_upload": upload(PDF)}, "video_file"),
        ({"slides_upload": upload(WEBM)}, "slides_file"),
        ({"video_url": "http://play.example.org/v/1"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"slides_url": "ftp://files.example.org/s.pdf"}, "slides_url"),
        ({"video_url": "https://a.example.org/v", "video_upload": upload(WEBM)}, "video_url"),
        ({"captions": "00:00:01.000 --> 00:00:02.000\nno header"}, "captions"),
        ({"captions": "WEBVTT\n\n"}, "captions"),
        ({"captions": VTT, "captions_language": "de"}, "captions_language"),
        ({}, "video_url"),
    ],
)
def test_bad_input_is_refused_with_its_field(db_session, mod, past_event, fields, field):
    with pytest.raises(InvalidInput) as caught:
        save_recording(
            session=db_session, actor=mod, event=past_event, data=RecordingInput(**fields)
        )
    db_session.rollback()
    assert caught.value.field == field and str(caught.value.message)
    assert db_session.get(EventRecording, past_event.id) is None


def test_slides_over_their_limit_are_too_large(app, db_session, mod, past_event):
    app.config["UPLOAD_SLIDES_MAX_MB"] = 1
    with pytest.raises(TooLarge) as caught:
        save_recording(
            session=db_session,
            actor=mod,
            event=past_event,
            data=RecordingInput(slides_upload=upload(PDF + b"x" * (1024 * 1024))),
        )
    assert caught.value.status == 413 and caught.value.field == "slides_file"


def test_the_file_type_is_read_from_the_content():
    assert video_type(WEBM[:64]) == "video/webm"
    assert video_type(MP4_HEAD) == "video/mp4"
    assert video_type(b"\x1a\x45\xdf\xa3" + b"matroska") is None
    assert video_type(b"") is None


def test_drafts_and_cancelled_events_take_no_recording(db_session, mod):
    draft = make_event(db_session, mod, publish=False)
    cancelled = make_event(db_session, mod)
    cancel_event(session=db_session, actor=mod, event=cancelled)
    for event in (draft, cancelled):
        with pytest.raises(Conflict):
            save_recording(
                session=db_session, actor=mod, event=event, data=RecordingInput(captions=VTT)
            )


def test_only_those_who_manage_events_may_change_recordings(db_session, past_event):
    member = make_user(db_session)
    with pytest.raises(NotAllowed):
        save_recording(
            session=db_session, actor=member, event=past_event, data=RecordingInput(captions=VTT)
        )
    with pytest.raises(NotAllowed):
        remove_recording(session=db_session, actor=member, event=past_event)


def test_a_stored_name_cannot_leave_the_upload_directory():
    with pytest.raises(ValueError):
        uploads.path_of("../forum.db")
    with pytest.raises(ValueError):
        uploads.path_of("/etc/passwd")


def test_the_transcript_anchors_the_first_cue_of_each_second():
    captions = (
        "WEBVTT\n\n00:12:34.100 --> 00:12:34.600\nEtt\n\n"
        "00:12:34.700 --> 00:12:36.000\nTvå\n\n01:00:00.000 --> 01:00:02.000\nTre\n"
    )
    rows = transcript(captions)
    assert [(r.anchor, r.time_code) for r in rows] == [
        ("t=754", "12:34"),
        (None, "12:34"),
        ("t=3600", "1:00:00"),
    ]
    assert transcript("not captions") == () and transcript(None) == ()


def test_demo_recordings_caption_past_demo_webinars_once(db_session, mod):
    seed_demo_accounts(db_session)
    admin = demo_user(db_session, "admin")
    past = make_past_event(
        db_session,
        admin,
    )
    upcoming = make_event(db_session, admin)
    past.is_demo = upcoming.is_demo = True
    db_session.commit()
    assert seed_demo_recordings(db_session) == ["Demo recordings: 1 past webinars with captions"]
    db_session.commit()
    recordings = db_session.exec(select(EventRecording)).all()
    assert [r.event_id for r in recordings] == [past.id]
    assert recordings[0].captions == DEMO_CAPTIONS and "NOTE Demotext" in DEMO_CAPTIONS
    assert len(transcript(recordings[0].captions)) == 6
    assert seed_demo_recordings(db_session) == []
