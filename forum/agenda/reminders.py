"""The reminder a day before: the job ``agenda.send_reminders`` runs every five minutes and mails
each participant with a seat in a published event that starts within ``REMINDER_WINDOW`` and
whose ``reminded_at`` is empty (``mail_receivers`` says when it is marked or emptied otherwise).

**Idempotent**: a batch claims its registrations with one UPDATE that sets ``reminded_at`` where
it is still empty and returns the ids it set, and writes their outbox rows in the same
transaction. A run killed half-way has committed whole batches and nothing of the others; the
next run finds only those not claimed, and two runs at once never claim the same registration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..accounts.models import User
from ..clock import utcnow
from ..db import get_engine
from ..jobs import crontab, job
from . import mailing
from .mail_receivers import REMINDER_WINDOW
from .models import PUBLISHED, REGISTERED, Event, EventRegistration

BATCH = 200


@job("agenda.send_reminders", retries=0, periodic=crontab(minute="*/5"))
def send_reminders_job() -> None:
    send_reminders()


def send_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders due at ``now``; how many were queued."""
    now = now or utcnow()
    queued = 0
    with Session(get_engine(), expire_on_commit=False) as session:
        while True:
            due = session.exec(
                select(EventRegistration, Event.sequence, User.email)
                .join(Event, col(Event.id) == EventRegistration.event_id)
                .join(User, col(User.id) == EventRegistration.user_id)
                .where(
                    EventRegistration.state == REGISTERED,
                    col(EventRegistration.reminded_at).is_(None),
                    Event.state == PUBLISHED,
                    col(Event.starts_at) > now,
                    col(Event.starts_at) <= now + REMINDER_WINDOW,
                    mailing.reachable(),
                )
                .order_by(col(EventRegistration.id))
                .limit(BATCH)
            ).all()
            if not due:
                return queued
            claimed = set(
                session.execute(
                    update(EventRegistration)
                    .where(
                        col(EventRegistration.id).in_([r.id for r, _, _ in due]),
                        col(EventRegistration.reminded_at).is_(None),
                    )
                    .values(reminded_at=now)
                    .returning(EventRegistration.id)
                    .execution_options(synchronize_session=False)
                ).scalars()
            )
            for registration, sequence, address in due:
                if registration.id in claimed:
                    mailing.queue(session, registration, address, mailing.REMINDER, sequence)
            session.commit()
            queued += len(claimed)
