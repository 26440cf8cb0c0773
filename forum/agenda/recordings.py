"""What remains after an event: attach, replace and remove its recording, slides and captions
(keyword-only; flush, never commit).

The video is a link to a video host (https) or a file the forum keeps (MP4 or WebM, recognised by
its first bytes, not by its name); the slides a link or a PDF; the captions WebVTT text, uploaded
or pasted, read with ``captions.parse_captions``. Only a published event takes a recording: a
draft is not public yet (publish it first) and a cancelled event did not take place.

Captions are not required. Sweden's law on accessible digital public services asks for captions
on recorded video, but allows a recording of a live event to be published first and captioned
within two weeks: refusing a video without them would push organisers to hold the recording back.
So the form and the event page say clearly that captions are missing instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..clock import utcnow
from ..domain import Conflict, InvalidInput, NotAllowed
from ..permissions import can_manage_events
from . import uploads
from .captions import parse_captions
from .models import PUBLISHED, Event, EventRecording

LANGUAGES = ("sv", "en")
URL_MAX = 500
VIDEO_TYPES = {"video/mp4": ".mp4", "video/webm": ".webm"}
PDF = "application/pdf"


class TooLarge(InvalidInput):
    status = 413


@dataclass
class Upload:
    """A file as it arrived: its bytes (the name the member gave it is never used)."""

    stream: BinaryIO

    @property
    def size(self) -> int:
        self.stream.seek(0, 2)
        return self.stream.tell()

    def head(self, length: int = 64) -> bytes:
        self.stream.seek(0)
        return self.stream.read(length)


@dataclass
class RecordingInput:
    video_url: str = ""
    video_upload: Upload | None = None
    remove_video: bool = False
    slides_url: str = ""
    slides_upload: Upload | None = None
    remove_slides: bool = False
    captions: str = ""
    captions_language: str = "sv"


def video_type(head: bytes) -> str | None:
    """The MIME type of an MP4 (an ``ftyp`` box first) or WebM file (an EBML header naming the
    ``webm`` document type), or None."""
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "video/webm"
    return None


def https_url(raw: str, *, field: str) -> str | None:
    url = raw.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > URL_MAX:
        raise InvalidInput(_l("Give a web address starting with https://."), field=field)
    return url


def _mb(setting: str) -> int:
    return int(current_app.config[setting])


def _require_manager(actor) -> None:
    if not can_manage_events(actor):
        raise NotAllowed(_l("Only moderators and administrators can change recordings."))


def _require_published(event: Event) -> None:
    if event.state != PUBLISHED:
        raise Conflict(_l("Only a published event can have a recording. Publish it first."))


def _video(session, event, recording: EventRecording, data: RecordingInput) -> None:
    url = https_url(data.video_url, field="video_url")
    upload = data.video_upload
    if url and upload:
        raise InvalidInput(_l("Give a link or upload a file, not both."), field="video_url")
    if upload is not None:
        if upload.size > _mb("UPLOAD_MAX_MB") * 1024 * 1024:
            raise TooLarge(
                _l("The video is too large (at most %(size)s MB).", size=_mb("UPLOAD_MAX_MB")),
                field="video_file",
            )
        mime = video_type(upload.head())
        if mime is None:
            raise InvalidInput(_l("Upload the video as an MP4 or WebM file."), field="video_file")
        uploads.remove_after_commit(session, recording.video_file)
        recording.video_file = uploads.store(session, event.id, upload.stream, VIDEO_TYPES[mime])
        recording.video_type, recording.video_url = mime, None
    elif url or data.remove_video or recording.video_url:
        # a new link replaces a kept file; an emptied link field empties the link
        if url or data.remove_video:
            uploads.remove_after_commit(session, recording.video_file)
            recording.video_file = recording.video_type = None
        recording.video_url = url


def _slides(session, event, recording: EventRecording, data: RecordingInput) -> None:
    url = https_url(data.slides_url, field="slides_url")
    upload = data.slides_upload
    if url and upload:
        raise InvalidInput(_l("Give a link or upload a file, not both."), field="slides_url")
    if upload is not None:
        limit = _mb("UPLOAD_SLIDES_MAX_MB")
        if upload.size > limit * 1024 * 1024:
            raise TooLarge(
                _l("The slides are too large (at most %(size)s MB).", size=limit),
                field="slides_file",
            )
        if not upload.head(5) == b"%PDF-":
            raise InvalidInput(_l("Upload the slides as a PDF file."), field="slides_file")
        uploads.remove_after_commit(session, recording.slides_file)
        recording.slides_file = uploads.store(session, event.id, upload.stream, ".pdf")
        recording.slides_url = None
    elif url or data.remove_slides or recording.slides_url:
        if url or data.remove_slides:
            uploads.remove_after_commit(session, recording.slides_file)
            recording.slides_file = None
        recording.slides_url = url


def _captions(recording: EventRecording, data: RecordingInput) -> None:
    if data.captions_language not in LANGUAGES:
        raise InvalidInput(_l("Choose a language."), field="captions_language")
    text = data.captions.lstrip("\ufeff").replace("\r\n", "\n").strip()
    if text:
        parse_captions(text)
    recording.captions = text + "\n" if text else None
    recording.captions_language = data.captions_language if text else None


def save_recording(
    *, session: Session, actor, event: Event, data: RecordingInput
) -> EventRecording:
    """Attach or replace what ``data`` gives; what it leaves out of a kept file stays."""
    _require_manager(actor)
    _require_published(event)
    recording = session.get(EventRecording, event.id) or EventRecording(event_id=event.id)
    _captions(recording, data)
    _video(session, event, recording, data)
    _slides(session, event, recording, data)
    if (
        not any(
            (recording.video_url, recording.video_file, recording.slides_url, recording.slides_file)
        )
        and not recording.captions
    ):
        raise InvalidInput(_l("Give a recording, slides or captions."), field="video_url")
    recording.updated_at = utcnow()
    session.add(recording)
    session.flush()
    return recording


def remove_recording(*, session: Session, actor, event: Event) -> bool:
    """Remove the recording, slides and captions; their files go once the session commits."""
    _require_manager(actor)
    recording = session.get(EventRecording, event.id)
    if recording is None:
        return False
    uploads.remove_after_commit(session, recording.video_file)
    uploads.remove_after_commit(session, recording.slides_file)
    session.delete(recording)
    session.flush()
    return True
