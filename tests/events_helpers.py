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
