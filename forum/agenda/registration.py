"""Registering for events: seats in the order asked for, a waitlist behind them, promotion when a
seat frees (keyword-only; flush, never commit).

Every change sends ``event_registration_changed``; the mail about it is another area's business.

Concurrency: two members taking the last seat at once must not both get it. Every write first
locks the event row, then counts: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the driver
begins a transaction only at the first write, so a no-op UPDATE of the event row takes the
database's write lock before the count and the other writers wait their turn (busy timeout).
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from ..clock import utcnow
from ..db import session_scope
from ..domain import Conflict, InvalidInput, NotAllowed, NotFound
from ..events import event_registration_changed
from ..jobs import crontab, job
from ..permissions import can_register_for_events, is_member
from .models import (
    QUESTIONS,
    REGISTERED,
    WAITLISTED,
    WITHDRAWN,
    Event,
    EventCalendarToken,
    EventRegistration,
)

ANSWER_MAX = 300
ACTIVE = (REGISTERED, WAITLISTED)


class EventFull(Conflict):
    """The last seat went while the member was filling in the form: offer the waitlist."""

    default_message = _l(
        "The last seat was just taken. You can join the waitlist and get a seat if one frees."
    )


def questions_of(event: Event) -> list[str]:
    """The keys of ``QUESTIONS`` the event asks, in their canonical order."""
    asked = {key.strip() for key in (event.questions or "").split(",")}
    return [key for key in QUESTIONS if key in asked]


def _check_open(event: Event) -> None:
    if event.is_draft:
        raise NotFound(_l("This event does not exist or is not published."))
    if event.is_cancelled:
        raise Conflict(_l("This event has been cancelled: registration is closed."))
    if event.starts_at <= utcnow():
        raise Conflict(_l("This event has already started: registration is closed."))


def _lock(session: Session, event: Event) -> Event:
    """Hold the event row until the transaction ends and read it afresh."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Event).where(col(Event.id) == event.id).values(id=Event.id))
    return session.exec(
        select(Event)
        .where(col(Event.id) == event.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _taken(session: Session, event_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(EventRegistration)
        .where(
            col(EventRegistration.event_id) == event_id,
            col(EventRegistration.state) == REGISTERED,
        )
    ).one()


def _clean_answers(event: Event, answers: dict) -> str | None:
    kept = {}
    for key in questions_of(event):
        value = (answers.get(key) or "").strip()
        if len(value) > ANSWER_MAX:
            raise InvalidInput(
                _l("Keep each answer under %(count)d characters.", count=ANSWER_MAX), field=key
            )
        if value:
            kept[key] = value
    return json.dumps(kept, ensure_ascii=False) if kept else None


def _changed(session, actor, event, registration, before) -> None:
    session.flush()
    event_registration_changed.send(
        "agenda",
        session=session,
        actor=actor,
        event=event,
        registration=registration,
        before=before,
    )


def own_registration(session: Session, event_id: int, user_id: int) -> EventRegistration | None:
    return session.exec(
        select(EventRegistration).where(
            col(EventRegistration.event_id) == event_id, col(EventRegistration.user_id) == user_id
        )
    ).first()


def register(
    *, session: Session, actor, event: Event, answers: dict, waitlist_ok: bool
) -> EventRegistration:
    """A seat when one is free; else a waitlist place if ``waitlist_ok``, else ``EventFull``.

    Asking again while registered or waiting changes nothing (a double click): the registration
    is answered as it is. After cancelling, the member comes back at the end of the queue.
    """
    if not can_register_for_events(actor):
        raise NotAllowed(
            _l("Confirm your e-mail address to register for events.")
            if is_member(actor) and not getattr(actor, "is_confirmed", False)
            else _l("Your account cannot register for events right now.")
        )
    _check_open(event)
    stored = _clean_answers(event, answers)
    event = _lock(session, event)
    _check_open(event)
    registration = own_registration(session, event.id, actor.id)
    if registration is not None and registration.state in ACTIVE:
        return registration
    seat = event.capacity is None or _taken(session, event.id) < event.capacity
    if not seat and not waitlist_ok:
        raise EventFull()
    before = registration.state if registration is not None else None
    if registration is None:
        registration = EventRegistration(event_id=event.id, user_id=actor.id)
    now = utcnow()
    registration.state = REGISTERED if seat else WAITLISTED
    registration.answers, registration.queued_at, registration.updated_at = stored, now, now
    session.add(registration)
    _changed(session, actor, event, registration, before)
    return registration


def cancel_registration(*, session: Session, actor, event: Event) -> EventRegistration:
    """Give up a seat or a waitlist place; a freed seat goes to the first in the queue at once."""
    if not is_member(actor):
        raise NotAllowed()
    _check_open(event)
    event = _lock(session, event)
    _check_open(event)
    registration = own_registration(session, event.id, actor.id)
    if registration is None or registration.state not in ACTIVE:
        raise Conflict(_l("You are not registered for this event."))
    before = registration.state
    registration.state, registration.updated_at = WITHDRAWN, utcnow()
    session.add(registration)
    _changed(session, actor, event, registration, before)
    if before == REGISTERED:
        fill_seats(session=session, actor=actor, event=event)
    return registration


def fill_seats(*, session: Session, actor, event: Event) -> list[EventRegistration]:
    """Promote waiting members, first come first served, into the seats that are free (after a
    cancellation or a larger capacity). A smaller capacity removes nobody."""
    event = _lock(session, event)
    waiting = select(EventRegistration).where(
        col(EventRegistration.event_id) == event.id, col(EventRegistration.state) == WAITLISTED
    )
    waiting = waiting.order_by(col(EventRegistration.queued_at), col(EventRegistration.id))
    if event.capacity is not None:
        free = event.capacity - _taken(session, event.id)
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(session.exec(waiting).all())
    for registration in promoted:
        registration.state, registration.updated_at = REGISTERED, utcnow()
        session.add(registration)
        _changed(session, actor, event, registration, WAITLISTED)
    return promoted


def new_calendar_token(*, session: Session, actor) -> str:
    """A new secret for the member's personal calendar address; the old address stops working."""
    if not is_member(actor):
        raise NotAllowed()
    row = session.get(EventCalendarToken, actor.id) or EventCalendarToken(user_id=actor.id)
    row.token, row.created_at = secrets.token_urlsafe(32), utcnow()
    session.add(row)
    session.flush()
    return row.token


def purge_answers(session: Session, *, days: int, now: datetime | None = None) -> int:
    """Empty the answers of registrations for events that ended more than ``days`` ago."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    ended = select(Event.id).where(col(Event.ends_at) < cutoff)
    result = session.execute(
        update(EventRegistration)
        .where(
            col(EventRegistration.event_id).in_(ended),
            col(EventRegistration.answers).is_not(None),
        )
        .values(answers=None)
    )
    return result.rowcount


@job("agenda.purge_answers", retries=0, periodic=crontab(hour="3", minute="23"))
def purge_answers_job() -> None:
    """Daily: answers are kept only as long as the organisers need them."""
    with session_scope() as session:
        purge_answers(session, days=int(current_app.config["EVENT_ANSWERS_RETENTION_DAYS"]))
