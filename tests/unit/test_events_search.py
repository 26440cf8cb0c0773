"""Events as search documents: the fields of a published event (both languages when translated),
transcript windows with their start second, nothing for drafts and cancelled events, and the
event's discussion thread public only while the event is published."""

from __future__ import annotations

import pytest

from forum.agenda.captions import Cue
from forum.agenda.models import EventRecording
from forum.agenda.searchable import (
    WINDOW_SECONDS,
    count_event_documents,
    event_documents,
    transcript_windows,
)
from forum.agenda.service import cancel_event, update_event
from forum.discussions.models import Thread
from forum.search.documents import REGISTRY, moment_fields, split_key, thread_is_public
from forum.search.index import build_schema
from tests.events_helpers import event_input, make_event
from tests.factories import goal, theme

pytestmark = pytest.mark.usefixtures("ctx")

CAPTIONS = """WEBVTT

00:00:02.000 --> 00:00:06.000
Hej och välkomna.

00:00:20.000 --> 00:00:25.000
Vi pratar om dagvatten.

00:00:35.000 --> 00:00:39.000
<v Erik>Skyfallsplanen i Malmö.
"""


def test_a_published_event_is_one_document_with_both_languages(db_session, mod):
    event = make_event(
        db_session,
        mod,
        language="sv",
        title="Gröna tak",
        summary="Sedumtak på **förskolor**.",
        title_translation="Green roofs",
        summary_translation="Sedum roofs on preschools.",
        theme_ids=[theme(db_session, 3).id, theme(db_session, 1).id],
        goal_ids=[goal(db_session, 13).id, goal(db_session, 11).id],
    )
    [doc] = event_documents(db_session, [event.id])[event.id]
    assert doc["key"] == doc["group"] == f"event:{event.id}" and doc["kind"] == "event"
    assert (doc["title_sv"], doc["body_sv"]) == ("Gröna tak", "Sedumtak på förskolor .")
    assert (doc["title_en"], doc["body_en"]) == ("Green roofs", "Sedum roofs on preschools.")
    assert doc["lang"] == "sv"  # the original's language, not the translation's
    assert doc["theme"] == theme(db_session, 1).slug  # the first in the forum's order
    assert doc["sdg"] == "11,13"
    assert doc["day"] == moment_fields(event.starts_at)["day"]
    assert set(doc) <= set(build_schema().names())


def test_an_untranslated_event_has_only_its_own_language(db_session, mod):
    event = make_event(db_session, mod, language="en", title="Stormwater", summary="Rain gardens.")
    [doc] = event_documents(db_session, [event.id])[event.id]
    assert "title_en" in doc and not any(name.endswith("_sv") for name in doc)


def test_drafts_and_cancelled_events_have_no_documents(db_session, mod):
    draft = make_event(db_session, mod, publish=False)
    cancelled = make_event(db_session, mod)
    db_session.add(EventRecording(event_id=cancelled.id, captions=CAPTIONS))
    cancel_event(session=db_session, actor=mod, event=cancelled)
    db_session.commit()
    assert event_documents(db_session, [draft.id, cancelled.id]) == {draft.id: [], cancelled.id: []}
    assert REGISTRY["event"].visible(db_session, [draft.id, cancelled.id]) == set()
    assert count_event_documents(db_session) == 0


def test_captions_become_windows_that_know_their_start_second(db_session, mod):
    event = make_event(db_session, mod)
    db_session.add(EventRecording(event_id=event.id, captions=CAPTIONS, captions_language="sv"))
    db_session.commit()
    docs = event_documents(db_session, [event.id])[event.id]
    windows = [d for d in docs if d["kind"] == "transcript"]
    assert [(d["key"], d["body_sv"]) for d in windows] == [
        (f"event:{event.id}:2", "Hej och välkomna. Vi pratar om dagvatten."),
        (f"event:{event.id}:35", "Skyfallsplanen i Malmö."),
    ]
    assert all(d["group"] == f"event:{event.id}" and "spell_sv" not in d for d in windows)
    assert split_key(windows[1]["key"]) == ("event", event.id)
    assert count_event_documents(db_session) == 3
    recording = db_session.get(EventRecording, event.id)
    recording.captions = None
    db_session.commit()
    assert count_event_documents(db_session) == 1


def test_windows_start_a_new_window_after_the_window_length():
    cues = [Cue(start=s, end=s + 4, text=f"c{s}") for s in range(0, 100, 5)]
    windows = transcript_windows(cues)
    assert [start for start, _text in windows] == list(range(0, 100, WINDOW_SECONDS))
    assert windows[0][1].split() == [f"c{s}" for s in range(0, WINDOW_SECONDS, 5)]
    assert transcript_windows([]) == []


def test_the_discussion_is_public_only_while_the_event_is_published(db_session, mod):
    event = make_event(db_session, mod, title="Studiebesök", theme_ids=[theme(db_session, 2).id])
    thread = db_session.get(Thread, event.thread_id)
    assert thread.kind == "event" and thread_is_public(db_session, thread)
    update_event(
        session=db_session,
        actor=mod,
        event=event,
        data=event_input(title="Studiebesök i Hyllie", goal_ids=[goal(db_session, 7).id]),
    )
    assert (thread.title, thread.theme_id) == ("Studiebesök i Hyllie", theme(db_session, 1).id)
    cancel_event(session=db_session, actor=mod, event=event)
    db_session.commit()
    assert thread.locked and not thread_is_public(db_session, thread)


def test_the_opening_post_of_an_event_thread_is_not_indexed(db_session, mod):
    from forum.search.documents import thread_documents

    event = make_event(db_session, mod)
    assert thread_documents(db_session, [event.thread_id]) == {event.thread_id: []}


def test_a_short_event_title_gives_its_thread_the_date(db_session, mod):
    event = make_event(db_session, mod, title="Möte")
    thread = db_session.get(Thread, event.thread_id)
    assert thread.title == "Möte 2027-01-15" and thread.kind == "event"
    update_event(session=db_session, actor=mod, event=event, data=event_input(title="Vårmöte"))
    db_session.commit()
    assert db_session.get(Thread, event.thread_id).title == "Vårmöte"
