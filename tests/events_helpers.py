"""Events for tests: an input with sensible defaults, and an event made through the service."""

from __future__ import annotations

from datetime import datetime

from forum.agenda.service import EventInput, create_event


def event_input(**overrides) -> EventInput:
    values = dict(
        kind="webinar",
        language="sv",
        title="Tillsammans 2030 webinar",
        summary="Månadens **webbinarium**.",
        starts_local=datetime(2027, 1, 15, 12, 0),
        ends_local=datetime(2027, 1, 15, 13, 0),
        online=True,
        join_url="https://meet.example.org/t2030",
    )
    values.update(overrides)
    return EventInput(**values)


def make_event(session, actor, *, publish: bool = True, **overrides):
    event = create_event(
        session=session, actor=actor, data=event_input(**overrides), publish=publish
    )
    session.commit()
    return event


PAST = {"starts_local": datetime(2025, 1, 10, 12), "ends_local": datetime(2025, 1, 10, 13)}


def make_past_event(session, actor, **overrides):
    """A published webinar that took place (January 2025): one that can have a recording."""
    return make_event(session, actor, **{**PAST, **overrides})
