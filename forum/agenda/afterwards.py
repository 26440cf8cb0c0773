"""What the event page shows after the event: the recording, slides and transcript, and the link
that starts a lesson from the event.

Moments of the recording have one address: ``/events/<id>#t=<whole seconds>``. Each transcript
cue is ``<li id="t=<start>">`` (the first cue starting in that second carries the id), so the
fragment lands on the cue without JavaScript; the cue's time code links to the forum's video file
with the media fragment ``#t=<start>``, which browsers play from that moment. With JavaScript
(``static/js/transcript.js``) the page's video seeks there instead, and opening the page with
``#t=N`` seeks it to N seconds. Search links its transcript hits to exactly these addresses,
with the starts ``captions.parse_captions`` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import url_for
from sqlmodel import Session

from ..clock import utcnow
from ..domain import InvalidInput
from .captions import Cue, parse_captions, time_code
from .models import Event, EventRecording

LONG_TRANSCRIPT = 12  # more cues than this fold into <details>


@dataclass(frozen=True)
class TranscriptCue:
    cue: Cue
    anchor: str | None  # "t=<start>" on the first cue of that second
    time_code: str


def transcript(captions: str | None) -> tuple[TranscriptCue, ...]:
    """The captions as transcript cues. Stored captions were read when saved; if a later
    webvtt-py reads them differently, the page shows no transcript rather than failing."""
    return _transcript(captions) if captions else ()


# Reading an hour of captions (some 700 cues) takes webvtt-py about 0.1 s: the page keeps the
# last few read, keyed by the text itself, so a changed text can never show a stale transcript.
@lru_cache(maxsize=16)
def _transcript(captions: str) -> tuple[TranscriptCue, ...]:
    try:
        cues = parse_captions(captions)
    except InvalidInput:
        return ()
    seen: set[int] = set()
    rows = []
    for cue in cues:
        anchor = None if cue.start in seen else f"t={cue.start}"
        seen.add(cue.start)
        rows.append(TranscriptCue(cue, anchor, time_code(cue.start)))
    return tuple(rows)


def recording_context(session: Session, event: Event) -> dict:
    """The template context of ``events/_recording.html``: one statement."""
    recording = session.get(EventRecording, event.id)
    cues = transcript(recording.captions if recording else None)
    return {
        "recording": recording,
        "cues": cues,
        "long_transcript": len(cues) > LONG_TRANSCRIPT,
        "event_is_past": event.ends_at < utcnow(),
    }


def lesson_url(event: Event, details) -> str:
    """The lesson form filled from the event: its project, first theme, goals and a link back
    (the lessons area reads these query parameters without knowing about events)."""
    params: dict = {"link": url_for("events.event_detail", event_id=event.id, _external=True)}
    if details.project is not None:
        params["project"] = details.project.slug
    if details.themes:
        params["theme"] = details.themes[0].slug
    if details.goals:
        params["sdg"] = [goal.number for goal in details.goals]
    return url_for("lessons.lesson_new", **params)
