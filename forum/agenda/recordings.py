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
from ..permissions import can_manage_event
from . import organisers, uploads
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


def _require_manager(session: Session, actor, event: Event) -> None:
    if not can_manage_event(actor, event, organisers.organiser_ids(session, event)):
        raise NotAllowed(
            _l("Only the event's organisers, moderators and administrators can change recordings.")
        )


def _require_published(event: Event) -> None:
    if event.state != PUBLISHED:
        raise Conflict(_l("Only a published event can have a recording. Publish it first."))


def _file_type(part: str, upload: Upload) -> str:
    """The MIME type of an uploaded video or slides file, refused when over its limit or of
    another type."""
    if part == "video":
        limit = _mb("UPLOAD_MAX_MB")
        too_large = _l("The video is too large (at most %(size)s MB).", size=limit)
    else:
        limit = _mb("UPLOAD_SLIDES_MAX_MB")
        too_large = _l("The slides are too large (at most %(size)s MB).", size=limit)
    if upload.size > limit * 1024 * 1024:
        raise TooLarge(too_large, field=f"{part}_file")
    head = upload.head()
    if part == "video" and video_type(head) is None:
        raise InvalidInput(_l("Upload the video as an MP4 or WebM file."), field="video_file")
    if part == "slides" and not head.startswith(b"%PDF-"):
        raise InvalidInput(_l("Upload the slides as a PDF file."), field="slides_file")
    return video_type(head) or PDF


def _link_or_file(session, event, recording, part: str, url_text, upload, remove) -> None:
    """Set the ``part`` ("video" or "slides") of ``recording``: a new file replaces what was
    there, a new link replaces a kept file, an emptied link field empties the link, and nothing
    given keeps the file unless ``remove`` asks otherwise."""
    url = https_url(url_text, field=f"{part}_url")
    if url and upload:
        raise InvalidInput(_l("Give a link or upload a file, not both."), field=f"{part}_url")
    kept = getattr(recording, f"{part}_file")
    if upload is not None:
        mime = _file_type(part, upload)
        suffix = VIDEO_TYPES.get(mime, ".pdf")
        uploads.remove_after_commit(session, kept)
        setattr(recording, f"{part}_file", uploads.store(session, event.id, upload.stream, suffix))
        setattr(recording, f"{part}_url", None)
        if part == "video":
            recording.video_type = mime
        return
    if url or remove:
        uploads.remove_after_commit(session, kept)
        setattr(recording, f"{part}_file", None)
        if part == "video":
            recording.video_type = None
    setattr(recording, f"{part}_url", url)


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
    _require_manager(session, actor, event)
    _require_published(event)
    recording = session.get(EventRecording, event.id) or EventRecording(event_id=event.id)
    _captions(recording, data)
    _link_or_file(
        session, event, recording, "video", data.video_url, data.video_upload, data.remove_video
    )
    _link_or_file(
        session, event, recording, "slides", data.slides_url, data.slides_upload, data.remove_slides
    )
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
    _require_manager(session, actor, event)
    recording = session.get(EventRecording, event.id)
    if recording is None:
        return False
    uploads.remove_after_commit(session, recording.video_file)
    uploads.remove_after_commit(session, recording.slides_file)
    session.delete(recording)
    session.flush()
    return True
