"""Events in search: the events area registers its documents with the search area's registry
(search sits below the agenda and never imports it).

A published event (past ones too: a webinar's recording and discussion stay worth finding) is one
document of kind ``event``: its title and summary in the fields of its language, and the
translation, if it has one, in the fields of the other. The captions of its recording are
documents of kind ``transcript``, one per window of cues of about ``WINDOW_SECONDS``, keyed
``event:<id>:<second the window starts>``, so a hit links to that moment of the recording
(``/events/<id>#t=<seconds>``). All of an event's documents live in the group ``event:<id>`` and
are re-derived together when the event, its themes, goals or recording change (the outbox of
``forum.search.sync``, in the same transaction). Drafts and cancelled events have none, and the
replies of their discussion thread are not indexed either (``ThreadOwner``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ..core.models import Goal, Theme
from ..domain import InvalidInput
from ..i18n import current_language
from ..projects.models import Project
from ..search.documents import (
    LINKS,
    Provider,
    ThreadOwner,
    document,
    group_applier,
    moment_fields,
    public_text,
    register,
    register_thread_owner,
    text_fields,
)
from ..search.query import add_kind
from .captions import Cue, parse_captions, time_code
from .models import PUBLISHED, Event, EventGoal, EventRecording, EventTheme

# A window of 30 s holds a few sentences: a snippet with context, a link that lands close enough
# to the words, and few hits of one recording (an hour of 4-second cues: 113 documents and 546 KiB
# of index instead of 900 and 716 KiB for one per cue; 60 s windows save only 4% more).
WINDOW_SECONDS = 30


def transcript_windows(cues: list[Cue]) -> list[tuple[int, str]]:
    """(start second, text) of consecutive cues grouped into windows of about WINDOW_SECONDS."""
    windows: list[tuple[int, list[str]]] = []
    for cue in cues:
        if not windows or cue.start - windows[-1][0] >= WINDOW_SECONDS:
            windows.append((cue.start, []))
        windows[-1][1].append(cue.text)
    return [(start, " ".join(texts)) for start, texts in windows]


def _windows_of(recording: EventRecording | None) -> tuple[tuple[int, str], ...]:
    if recording is None or not (recording.captions or "").strip():
        return ()
    return _windows_of_text(recording.captions)


@lru_cache(maxsize=32)
def _windows_of_text(captions: str) -> tuple[tuple[int, str], ...]:
    """Reading an hour of captions takes about 70 ms: the search page, the indexer and the health
    check reuse the windows of the captions they read last."""
    try:
        cues = parse_captions(captions)
    except InvalidInput:  # checked on upload; a file that no longer reads is simply not indexed
        return ()
    return tuple(transcript_windows(cues))


def _translation_lang(event: Event) -> str:
    return "en" if event.language == "sv" else "sv"


def _links(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Each event's first theme (in the forum's order) and its SDG numbers."""
    first_theme: dict[int, int] = {}
    for event_id, theme_id in session.exec(
        select(EventTheme.event_id, EventTheme.theme_id)
        .join(Theme, col(Theme.id) == EventTheme.theme_id)
        .where(col(EventTheme.event_id).in_(ids))
        .order_by(Theme.position, Theme.id)
    ).all():
        first_theme.setdefault(event_id, theme_id)
    goals: dict[int, list[int]] = {}
    for event_id, number in session.exec(
        select(EventGoal.event_id, Goal.number)
        .join(Goal, col(Goal.id) == EventGoal.goal_id)
        .where(col(EventGoal.event_id).in_(ids))
    ).all():
        goals.setdefault(event_id, []).append(number)
    return first_theme, goals


def _published(session: Session, ids: list[int]) -> list[Event]:
    return list(
        session.exec(select(Event).where(col(Event.id).in_(ids), Event.state == PUBLISHED)).all()
    )


def _recordings(session: Session, ids: list[int]) -> dict[int, EventRecording]:
    rows = session.exec(select(EventRecording).where(col(EventRecording.event_id).in_(ids)))
    return {recording.event_id: recording for recording in rows}


def event_documents(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """Each event's documents now: none unless it is published."""
    out: dict[int, list[dict]] = {event_id: [] for event_id in ids}
    events = _published(session, ids)
    found = [event.id for event in events]
    themes = {theme.id: theme.slug for theme in session.exec(select(Theme))}
    first_theme, goals = _links(session, found)
    recordings = _recordings(session, found)
    for event in events:
        shared = dict(
            group=f"event:{event.id}",
            theme=themes.get(first_theme.get(event.id)),
            project=str(event.project_id) if event.project_id else None,
            sdg=",".join(str(n) for n in sorted(goals.get(event.id, []))),
            **moment_fields(event.starts_at),
        )
        texts = {}
        if event.title_translation and event.summary_translation_html:
            translated = public_text(event.summary_translation_html)
            lang = _translation_lang(event)
            texts.update(text_fields(lang, event.title_translation, translated))
        texts.update(text_fields(event.language, event.title, public_text(event.summary_html)))
        docs = [document(key=f"event:{event.id}", kind="event", **shared, **texts)]
        recording = recordings.get(event.id)
        lang = (recording.captions_language if recording else None) or event.language
        for start, text in _windows_of(recording):
            docs.append(
                document(
                    key=f"event:{event.id}:{start}",
                    kind="transcript",
                    **shared,
                    **text_fields(lang, "", text, spell=False),
                )
            )
        out[event.id] = docs
    return out


def iter_event_documents(session: Session) -> Iterator[dict]:
    ids = list(session.exec(select(Event.id).where(Event.state == PUBLISHED).order_by(Event.id)))
    for start in range(0, len(ids), 100):
        for docs in event_documents(session, ids[start : start + 100]).values():
            yield from docs


# -- counting (GET /healthz) ----------------------------------------------------------------------
# (event id, updated_at, length of the captions) -> windows: a change of either is a new key
_window_counts: dict[tuple, int] = {}
_window_counts_lock = threading.Lock()


def count_event_documents(session: Session) -> int:
    """Published events and the transcript windows of their recordings. Counting windows means
    reading the captions, so each recording's count is remembered until it changes."""
    events = session.exec(
        select(func.count()).select_from(Event).where(Event.state == PUBLISHED)
    ).one()
    rows = session.exec(
        select(
            EventRecording.event_id,
            EventRecording.updated_at,
            func.length(EventRecording.captions),
        )
        .join(Event, col(Event.id) == EventRecording.event_id)
        .where(Event.state == PUBLISHED, col(EventRecording.captions).is_not(None))
    ).all()
    keys = [tuple(row) for row in rows]
    with _window_counts_lock:
        known = {key: _window_counts[key] for key in keys if key in _window_counts}
    unknown = [key for key in keys if key not in known]
    if unknown:
        recordings = _recordings(session, [key[0] for key in unknown])
        known.update({key: len(_windows_of(recordings.get(key[0]))) for key in unknown})
    with _window_counts_lock:  # only the recordings there are now: the memory stays small
        _window_counts.clear()
        _window_counts.update(known)
    return events + sum(known.values())


# -- result rows (the search page) ----------------------------------------------------------------
def load_results(session: Session, ids: list[int]) -> dict[str, dict]:
    """The search page's rows of these (visible) events and of their transcript windows, in the
    reader's language where the event is translated."""
    events = _published(session, ids)
    found = [event.id for event in events]
    first_theme, _goals = _links(session, found)
    projects = {
        p.id: p
        for p in session.exec(
            select(Project).where(col(Project.id).in_({e.project_id for e in events}))
        )
    }
    recordings = _recordings(session, found)
    reader = current_language()
    rows: dict[str, dict] = {}
    for event in events:
        lang, title, summary_html = event.text_in(reader)
        url = url_for("events.event_detail", event_id=event.id)
        shared = dict(
            title=title,
            created=event.starts_at,
            theme_id=first_theme.get(event.id),
            project=projects.get(event.project_id),
        )
        rows[f"event:{event.id}"] = dict(
            kind="event",
            url=url,
            lang=lang,
            text=public_text(summary_html),
            text_lang=lang,
            **shared,
        )
        recording = recordings.get(event.id)
        captions_lang = (recording.captions_language if recording else None) or event.language
        for start, text in _windows_of(recording):
            rows[f"event:{event.id}:{start}"] = dict(
                kind="transcript",
                url=f"{url}#t={start}",
                lang=captions_lang,
                text=text,
                time_code=time_code(start),
                **shared,
            )
    return rows


def _visible(session: Session, ids: list[int]) -> set[int]:
    return {event.id for event in _published(session, ids)}


def _public_event_threads() -> Select:
    published = (Event.state == PUBLISHED, col(Event.thread_id).is_not(None))
    return select(Event.thread_id).where(*published)


register(
    Provider(
        entity="event",
        model=Event,
        apply=group_applier("event", event_documents),
        iter_documents=iter_event_documents,
        visible=_visible,
        watched=frozenset(
            {
                "title",
                "summary",
                "title_translation",
                "summary_translation",
                "language",
                "state",
                "starts_at",
                "project_id",
                "thread_id",
            }
        ),
        cascades=lambda event: [("thread", event.thread_id)] if event.thread_id else [],
        count=count_event_documents,
        load=load_results,
    )
)
register_thread_owner(
    ThreadOwner(kind="event", public_thread_ids=_public_event_threads, opening_post_indexed=False)
)
LINKS[EventTheme] = ("event", "event_id")
LINKS[EventGoal] = ("event", "event_id")
LINKS[EventRecording] = ("event", "event_id")
add_kind("event", _l("Events"), _l("Event"), ("events", "evenemang"))
add_kind(
    "transcript",
    _l("Recordings"),
    _l("Recording"),
    ("transcripts", "recording", "inspelning", "inspelningar"),
)
