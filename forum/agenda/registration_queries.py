"""Reads of registrations: an event's seats and the reader's own place, a member's events, the
participant list and the personal calendar feed. Each reads with a fixed number of statements."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from ..accounts.models import User
from ..clock import utcnow
from ..permissions import is_member
from .models import DRAFT, REGISTERED, WAITLISTED, Event, EventCalendarToken, EventRegistration


@dataclass
class Seats:
    """An event's seats and the reader's own registration (None: not registered)."""

    capacity: int | None
    registered: int
    waiting: int
    mine: EventRegistration | None = None
    position: int | None = None  # on the waitlist, counted from 1

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)

    @property
    def full(self) -> bool:
        return self.left == 0

    @property
    def state(self) -> str | None:
        return self.mine.state if self.mine is not None and self.mine.state != "cancelled" else None


def _position():
    """The waitlist place of ``EventRegistration`` rows, as a correlated count."""
    ahead = aliased(EventRegistration)
    return (
        select(func.count())
        .where(
            col(ahead.event_id) == EventRegistration.event_id,
            col(ahead.state) == WAITLISTED,
            or_(
                col(ahead.queued_at) < EventRegistration.queued_at,
                (col(ahead.queued_at) == EventRegistration.queued_at)
                & (col(ahead.id) <= EventRegistration.id),
            ),
        )
        .correlate(EventRegistration)
        .scalar_subquery()
    )


def seats(session: Session, event: Event, user) -> Seats:
    """Two statements: the counts by state, and the reader's own row with its place."""
    counts = dict(
        session.exec(
            select(EventRegistration.state, func.count())
            .where(col(EventRegistration.event_id) == event.id)
            .group_by(col(EventRegistration.state))
        ).all()
    )
    result = Seats(event.capacity, counts.get(REGISTERED, 0), counts.get(WAITLISTED, 0))
    if is_member(user):
        row = session.exec(
            select(EventRegistration, _position()).where(
                col(EventRegistration.event_id) == event.id,
                col(EventRegistration.user_id) == user.id,
            )
        ).first()
        if row is not None:
            result.mine = row[0]
            result.position = row[1] if row[0].state == WAITLISTED else None
    return result


@dataclass
class MyEvent:
    event: Event
    registration: EventRegistration
    position: int | None


@dataclass
class MyEvents:
    upcoming: list[MyEvent] = field(default_factory=list)
    past: list[MyEvent] = field(default_factory=list)


def my_events(session: Session, user, *, limit: int = 200) -> MyEvents:
    """The member's seats and waitlist places: upcoming soonest first, then past ones latest
    first. One statement."""
    rows = session.exec(
        select(Event, EventRegistration, _position())
        .join(EventRegistration, col(EventRegistration.event_id) == Event.id)
        .where(
            col(EventRegistration.user_id) == user.id,
            col(EventRegistration.state).in_((REGISTERED, WAITLISTED)),
            col(Event.state) != DRAFT,
        )
        .order_by(col(Event.starts_at).desc())
        .limit(limit)
    ).all()
    now, mine = utcnow(), MyEvents()
    for event, registration, position in rows:
        place = position if registration.state == WAITLISTED else None
        item = MyEvent(event, registration, place)
        if event.ends_at >= now:
            mine.upcoming.insert(0, item)
        else:
            mine.past.append(item)
    return mine


@dataclass
class Participant:
    registration: EventRegistration
    user: User
    answers: dict


@dataclass
class Participants:
    registered: list[Participant]
    waiting: list[Participant]


def participants(session: Session, event: Event) -> Participants:
    """Registered members in the order they came, then the waitlist in its order: one
    statement."""
    rows = session.exec(
        select(EventRegistration, User)
        .join(User, col(User.id) == EventRegistration.user_id)
        .where(
            col(EventRegistration.event_id) == event.id,
            col(EventRegistration.state).in_((REGISTERED, WAITLISTED)),
        )
        .order_by(col(EventRegistration.queued_at), col(EventRegistration.id))
    ).all()
    result = Participants([], [])
    for registration, user in rows:
        answers = json.loads(registration.answers) if registration.answers else {}
        item = Participant(registration, user, answers)
        (result.registered if registration.state == REGISTERED else result.waiting).append(item)
    return result


def calendar_token(session: Session, user_id: int) -> str | None:
    row = session.get(EventCalendarToken, user_id)
    return row.token if row is not None else None


def feed_owner(session: Session, token: str) -> int | None:
    """The member whose personal feed ``token`` opens, or None."""
    return session.exec(
        select(EventCalendarToken.user_id).where(col(EventCalendarToken.token) == token)
    ).first()


def registered_events(session: Session, user_id: int, *, limit: int = 500) -> list[Event]:
    """The events the member holds a seat for (cancelled ones too, so calendars hear of it)."""
    rows = session.exec(
        select(Event)
        .join(EventRegistration, col(EventRegistration.event_id) == Event.id)
        .where(
            col(EventRegistration.user_id) == user_id,
            col(EventRegistration.state) == REGISTERED,
            col(Event.state) != DRAFT,
        )
        .order_by(col(Event.starts_at).desc())
        .limit(limit)
    ).all()
    return list(rows)
