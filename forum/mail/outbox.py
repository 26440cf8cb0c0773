"""Sending mail through the outbox (``MailOutbox``): nothing lost, nothing sent for a rollback.

* ``send_after_commit(session, message)`` adds the message to the outbox in the caller's
  transaction: it commits or rolls back with the change it announces.
  ``compose_after_commit(session, composer=..., to=...)`` does the same for a message composed
  when it is sent, by a function an area declared with ``@composer(name)`` (the password reset:
  the request does the same work whether or not the address has an account), with an optional
  ``key`` saying what it is about (an event mail: the registration and the kind of mail).
* After the commit the job ``mail.send_outbox`` sends what is due, and ``mail.sweep_outbox``
  does so every minute, so a process dying between its commit and the enqueue delays a message
  by a minute at most. A deliverer claims a row before sending it, so two never send the same
  one; a deliverer dying after sending and before deleting the row means the message goes out
  twice (at least once, never lost).
* A failed attempt is retried after 30 s, then twice as long each time; after ``MAX_ATTEMPTS``
  the row is parked: listed to admins on ``/admin/jobs`` to send again or dismiss.
* A sent message is deleted at once: its links carry tokens, kept only as long as needed.
"""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from sqlalchemy import and_, case, func, update
from sqlmodel import Session, col, select

from ..clock import utcnow
from ..db import get_engine
from ..jobs import crontab, job, nudge, nudge_after_commit
from .message import MailError, deliver
from .models import MailOutbox

log = logging.getLogger("forum.mail")
MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(seconds=30)  # then 1, 2, 4, 8, 16 and 32 minutes: about an hour in all
LEASE = timedelta(minutes=5)  # a claimed row is due again after this (its deliverer died)
BATCH = 50

Composer = Callable[..., EmailMessage | None]
_COMPOSERS: dict[str, Composer] = {}


def composer(name: str):
    """Declare ``func(session, address)``, which composes the message ``name`` to ``address`` when
    it is sent, or answers None to send nothing; ``func(session, address, key)`` for messages
    queued with a ``key``."""

    def decorate(func: Composer) -> Composer:
        if name in _COMPOSERS and _COMPOSERS[name] is not func:
            raise ValueError(f"mail composer {name!r} is declared twice")
        _COMPOSERS[name] = func
        return func

    return decorate


def send_after_commit(session: Session, message: EmailMessage, *, nudge: bool = True) -> None:
    """Send ``message`` once ``session`` commits; if it rolls back, the message never leaves.
    ``nudge=False``: no job is enqueued by this commit (a batch of many commits nudges once at
    its end with ``send_soon``, or leaves the rows to the minute's sweep)."""
    row = MailOutbox(
        recipient=parseaddr(str(message["To"]))[1],
        subject=str(message["Subject"] or "")[:300],
        message=bytes(message),
    )
    _add(session, row, nudge=nudge)


def compose_after_commit(
    session: Session,
    *,
    composer: str,
    to: str,
    delay: timedelta | None = None,
    key: str | None = None,
) -> None:
    """Have the composer ``composer`` write a message to ``to`` (about ``key``) once ``session``
    commits (and ``delay`` has passed: the minute's sweep sends it then)."""
    if composer not in _COMPOSERS:
        raise ValueError(f"no mail composer {composer!r}")
    row = MailOutbox(recipient=to, composer=composer, composer_key=key)
    if delay:
        row.next_attempt_at = utcnow() + delay
    _add(session, row, nudge=not delay)


def _add(session: Session, row: MailOutbox, *, nudge: bool = True) -> None:
    session.add(row)
    if nudge:
        nudge_after_commit(session, "mail.send_outbox")  # if that fails, the sweep sends it


def send_soon() -> None:
    """Have the worker send what is due now (after a batch added with ``nudge=False``)."""
    nudge("mail.send_outbox")


def pending_mail(session: Session) -> list[EmailMessage]:
    """Composed messages added to ``session`` and not yet committed."""
    return [
        email.message_from_bytes(row.message, policy=email.policy.default)
        for row in session.new
        if isinstance(row, MailOutbox) and row.message is not None
    ]


# -- the worker's side ----------------------------------------------------------------------------
@job("mail.send_outbox", retries=2, retry_delay=30.0)
def send_outbox() -> None:
    """After a commit: send what is due (a failed message waits in its row for its next try)."""
    deliver_due()


@job("mail.sweep_outbox", retries=0, periodic=crontab())
def sweep_outbox() -> None:
    """Every minute: send what is due (retries, and mail whose enqueue was lost)."""
    deliver_due()


def _due(now: datetime):
    return and_(col(MailOutbox.parked_at).is_(None), col(MailOutbox.next_attempt_at) <= now)


def deliver_due(*, now: datetime | None = None) -> int:
    """Send every due message, oldest first; how many were sent. ``now`` fixes the clock."""
    engine = get_engine()
    sent = 0
    while True:
        moment = now or utcnow()
        with Session(engine) as session:
            ids = session.exec(
                select(MailOutbox.id)
                .where(_due(moment))
                .order_by(col(MailOutbox.next_attempt_at))
                .limit(BATCH)
            ).all()
        if not ids:
            return sent
        for row_id in ids:
            with Session(engine, expire_on_commit=False) as session:
                sent += _attempt(session, row_id, now)


def _attempt(session: Session, row_id: int, now: datetime | None) -> bool:
    """Claim the row and send its message; False if another deliverer had it or nothing went."""
    moment = now or utcnow()
    claim = (
        update(MailOutbox)
        .where(col(MailOutbox.id) == row_id, _due(moment))
        .values(next_attempt_at=moment + LEASE, attempts=MailOutbox.attempts + 1)
    )
    claimed = session.execute(claim).rowcount == 1
    session.commit()
    if not claimed:
        return False
    row = session.get(MailOutbox, row_id)
    message = None
    try:
        message = _message_of(session, row)
        if message is not None:
            deliver(message)
    except Exception as exc:  # every failure is recorded on the row, so that it can be parked
        session.rollback()
        if not isinstance(exc, MailError):
            log.exception("mail %s to %s could not be composed", row_id, row.recipient)
        _failed(session, row_id, message, str(exc), now or utcnow())
        return False
    if message is None:
        log.info("mail %s (%s): nothing to send", row_id, row.composer)
    session.delete(row)
    session.commit()
    return message is not None


def _message_of(session: Session, row: MailOutbox) -> EmailMessage | None:
    if row.message is not None:
        return email.message_from_bytes(row.message, policy=email.policy.default)
    compose = _COMPOSERS[row.composer]
    if row.composer_key is None:
        return compose(session, row.recipient)
    return compose(session, row.recipient, row.composer_key)


def _failed(session: Session, row_id: int, message, error: str, now: datetime) -> None:
    row = session.get(MailOutbox, row_id)
    row.last_error = error[:500]
    if message is not None:
        row.subject = str(message["Subject"] or "")[:300]
    what = (row_id, row.recipient, row.attempts, error)
    if row.attempts >= MAX_ATTEMPTS:
        row.parked_at = now
        log.error("mail %s to %s parked after %d attempts: %s", *what)
    else:
        row.next_attempt_at = now + FIRST_DELAY * 2 ** (row.attempts - 1)
        log.warning("mail %s to %s: attempt %d failed: %s", *what)
    session.commit()


# -- admins and monitoring ------------------------------------------------------------------------
def parked_mail(session: Session) -> list[MailOutbox]:
    """Messages whose attempts ran out, newest first."""
    query = select(MailOutbox).where(col(MailOutbox.parked_at).is_not(None))
    return list(session.exec(query.order_by(col(MailOutbox.parked_at).desc())).all())


def send_again(*, session: Session, mail_id: int) -> bool:
    """Give a parked message its attempts again (sent after the commit); False if not parked."""
    row = session.get(MailOutbox, mail_id)
    if row is None or row.parked_at is None:
        return False
    row.parked_at, row.attempts, row.next_attempt_at = None, 0, utcnow()
    _add(session, row)
    session.flush()
    return True


def dismiss(*, session: Session, mail_id: int) -> bool:
    """Forget a parked message; False if there is no such parked message."""
    row = session.get(MailOutbox, mail_id)
    if row is None or row.parked_at is None:
        return False
    session.delete(row)
    session.flush()
    return True


@dataclass(frozen=True)
class MailBacklog:
    pending: int  # waiting to be sent (due or not), parked ones not counted
    parked: int
    oldest_due_seconds: float | None  # how long the longest-due message has waited for a worker


def mail_backlog(session: Session, *, now: datetime | None = None) -> MailBacklog:
    """The outbox at a glance (one statement): a pending count that grows, or a due message
    waiting for minutes, means the worker is down or cannot reach the mail server."""
    now = now or utcnow()
    unparked = col(MailOutbox.parked_at).is_(None)
    pending, parked, oldest_due = session.exec(
        select(
            func.count(case((unparked, 1))),
            func.count(case((~unparked, 1))),
            func.min(case((_due(now), col(MailOutbox.next_attempt_at)))),
        )
    ).one()
    waited = (now - oldest_due).total_seconds() if oldest_due is not None else None
    return MailBacklog(pending=pending, parked=parked, oldest_due_seconds=waited)
