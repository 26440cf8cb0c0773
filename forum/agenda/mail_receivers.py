"""Who gets which event mail, decided in the transaction of the change (``mailing`` writes it).

* A registration changed (``event_registration_changed``): the member gets a confirmation of
  their seat or waiting-list place, "you have a seat now" when promoted from the waiting list,
  or a short confirmation that they left.
* A published event's time, place or link changed (``event_rescheduled``): everyone with a seat
  or on the waiting list gets the new details (with the new SEQUENCE in the calendar file).
* An event was cancelled (``event_cancelled``): the same people are told.

The 24-hour reminder (``reminders``) goes to those whose ``reminded_at`` is empty. A member who
gets a seat less than ``REMINDER_WINDOW`` before the start gets no reminder on top of the
confirmation they have just had: it is marked as their reminder. After a change of time, the
reminder follows the new time: it is due again, unless the event now starts within the window,
where the change notice, just sent, serves as the reminder.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..accounts.models import User
from ..clock import utcnow
from ..events import event_cancelled, event_registration_changed, event_rescheduled
from . import mailing
from .models import REGISTERED, WAITLISTED, WITHDRAWN, Event, EventRegistration

REMINDER_WINDOW = timedelta(hours=24)


def reminder_mark(event: Event, now) -> object:
    """What ``reminded_at`` of a newly seated participant is: already reminded (now) if the
    event starts within the window, due otherwise."""
    return now if event.starts_at - now <= REMINDER_WINDOW else None


@event_registration_changed.connect
def _registration_changed(sender, *, session: Session, actor, event, registration, before):
    state = registration.state
    if state == before:
        return
    if state == REGISTERED:
        kind = mailing.PROMOTED if before == WAITLISTED else mailing.SEAT
        registration.reminded_at = reminder_mark(event, utcnow())
        session.add(registration)
    elif state == WAITLISTED:
        kind = mailing.WAITLIST
    elif state == WITHDRAWN and before in (REGISTERED, WAITLISTED):
        kind = mailing.WITHDRAWN_SEAT if before == REGISTERED else mailing.LEFT_WAITLIST
    else:
        return
    user = session.get(User, registration.user_id)
    if mailing.can_receive(user):
        stamp = utcnow().strftime("%Y%m%d%H%M%S%f")  # one confirmation from another
        mailing.queue(session, registration, user.email, kind, stamp)
    session.flush()


def _participants(session: Session, event: Event) -> list[tuple[EventRegistration, str]]:
    """The event's registrations with a seat or on the waiting list, with the address of those
    who get mail (one statement)."""
    rows = session.exec(
        select(EventRegistration, User.email)
        .join(User, col(User.id) == EventRegistration.user_id)
        .where(
            EventRegistration.event_id == event.id,
            col(EventRegistration.state).in_((REGISTERED, WAITLISTED)),
            mailing.reachable(),
        )
        .order_by(col(EventRegistration.id))
    ).all()
    return list(rows)


def _queue_all(session: Session, event: Event, kind_of) -> None:
    for registration, address in _participants(session, event):
        mailing.queue(session, registration, address, kind_of(registration), event.sequence)
    session.flush()


@event_rescheduled.connect
def _rescheduled(sender, *, session: Session, actor, event: Event):
    session.execute(
        update(EventRegistration)
        .where(EventRegistration.event_id == event.id, EventRegistration.state == REGISTERED)
        .values(reminded_at=reminder_mark(event, utcnow()))
    )
    _queue_all(session, event, lambda registration: mailing.CHANGED)


@event_cancelled.connect
def _cancelled(sender, *, session: Session, actor, event: Event):
    _queue_all(
        session,
        event,
        lambda registration: (
            mailing.CANCELLED_SEAT
            if registration.state == REGISTERED
            else mailing.CANCELLED_WAITING
        ),
    )
