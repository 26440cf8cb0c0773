"""Events for tests: an input with sensible defaults, an event made through the service, and a
registration changed as the registration service changes it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from forum.agenda.models import EventRegistration
from forum.agenda.service import EventInput, create_event
from forum.clock import utcnow
from forum.events import event_registration_changed


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


def change_registration(
    session, event, user, state: str, *, actor=None, commit: bool = True
) -> EventRegistration:
    """Set ``user``'s registration for ``event`` to ``state`` (made if missing), send
    ``event_registration_changed`` as the registration service does, and commit (unless
    ``commit`` is False)."""
    registration = session.exec(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.user_id == user.id
        )
    ).first()
    before = registration.state if registration is not None else None
    if registration is None:
        registration = EventRegistration(event_id=event.id, user_id=user.id)
    registration.state, registration.updated_at = state, utcnow()
    session.add(registration)
    session.flush()
    event_registration_changed.send(
        "agenda",
        session=session,
        actor=actor or user,
        event=event,
        registration=registration,
        before=before,
    )
    if commit:
        session.commit()
    return registration


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


PAST = {"starts_local": datetime(2025, 1, 10, 12), "ends_local": datetime(2025, 1, 10, 13)}


def make_past_event(session, actor, **overrides):
    """A published webinar that took place (January 2025): one that can have a recording."""
    return make_event(session, actor, **{**PAST, **overrides})
