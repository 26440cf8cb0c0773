"""A member's registrations in "Download my data", and what deleting the account does to them:
the registrations and the calendar secret go, and a seat the member held goes to the first on
the waitlist (who hears of it through ``event_registration_changed``, as after a cancellation)."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from .. import events
from ..accounts.contributions import data_export
from ..accounts.privacy import iso_moment
from ..clock import utcnow
from .models import PUBLISHED, REGISTERED, Event, EventCalendarToken, EventRegistration
from .registration import fill_seats


@data_export.provide
def registrations_of(*, session: Session, user) -> dict:
    rows = session.exec(
        select(EventRegistration, Event)
        .join(Event, col(Event.id) == EventRegistration.event_id)
        .where(col(EventRegistration.user_id) == user.id)
        .order_by(col(EventRegistration.id))
    ).all()
    return {
        "event_registrations": [
            {
                "event_id": event.id,
                "event": event.title,
                "state": registration.state,
                "answers": json.loads(registration.answers) if registration.answers else {},
                "queued_at": iso_moment(registration.queued_at),
                "updated_at": iso_moment(registration.updated_at),
            }
            for registration, event in rows
        ],
        "event_calendar_address": session.get(EventCalendarToken, user.id) is not None,
    }


@events.account_deleted.connect
def on_account_deleted(sender, *, session: Session, user, handle: str | None) -> None:
    rows = session.exec(
        select(EventRegistration).where(col(EventRegistration.user_id) == user.id)
    ).all()
    seated = [row.event_id for row in rows if row.state == REGISTERED]
    for row in rows:
        session.delete(row)
    token = session.get(EventCalendarToken, user.id)
    if token is not None:
        session.delete(token)
    session.flush()
    still_open = session.exec(
        select(Event).where(
            col(Event.id).in_(seated),
            col(Event.state) == PUBLISHED,
            col(Event.starts_at) > utcnow(),
        )
    ).all()
    for event in still_open:
        fill_seats(session=session, actor=user, event=event)
