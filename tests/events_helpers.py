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


def series_input(rule: str = "FREQ=MONTHLY;BYDAY=2FR", first=None, **overrides):
    """A monthly online webinar, 12:00-13:00 from ``first`` (a date; 2027-01-08 by default)."""
    from datetime import date, time

    from forum.agenda.series import SeriesInput

    first = first or date(2027, 1, 8)
    overrides.setdefault("starts_local", datetime.combine(first, time(12)))
    overrides.setdefault("ends_local", datetime.combine(first, time(13)))
    return SeriesInput(event=event_input(**overrides), rule=rule)


def make_series(session, actor, rule: str = "FREQ=MONTHLY;BYDAY=2FR", *, today=None, **overrides):
    from forum.agenda.series import create_series

    series = create_series(
        session=session,
        actor=actor,
        data=series_input(rule, **overrides),
        today=today,
    )
    session.commit()
    return series
