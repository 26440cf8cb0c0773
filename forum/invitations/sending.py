"""Sending an invitation to the list: one mail per subscriber, throttled, resumable.

* ``start_sending`` makes one ``InvitationDelivery`` per subscriber (the list at that moment, in
  one INSERT ... SELECT) and marks the invitation *sending*; after the commit the job
  ``invitations.send_batch`` starts, and ``invitations.sweep`` goes on every minute.
* ``send_due`` puts at most ``INVITATIONS_SEND_PER_MINUTE`` mails into the mail outbox per
  ``WINDOW`` (counted from the deliveries' ``queued_at``, so every worker and every run share
  one budget). Each delivery is claimed by a conditional UPDATE and queued in the same
  transaction as its outbox row: a worker killed at any moment leaves each delivery either
  queued with its mail or untouched, and the next run goes on from there. The mail outbox then
  sends, retries and parks as for any mail.
* Each subscriber gets the English version when they chose English and the invitation has one,
  the Swedish one otherwise; every mail carries ``List-Unsubscribe`` (RFC 8058).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import and_, delete, func, insert, literal, update
from sqlmodel import Session, col, select

from ..clock import utcnow
from ..db import get_engine
from ..jobs import crontab, job, nudge_after_commit
from ..mail import add_unsubscribe_headers, compose, send_after_commit
from .models import DRAFT, SENDING, SENT, Invitation, InvitationDelivery, Subscriber
from .service import NotADraft, unsubscribe_url

log = logging.getLogger("forum.invitations")
# A little under a minute, so that the minutely sweep finds the previous minute's budget free
# even when its runs drift by a few seconds.
WINDOW = timedelta(seconds=50)


def start_sending(*, session: Session, invitation: Invitation, now: datetime | None = None) -> int:
    """Address the invitation to everyone on the list now; how many."""
    if invitation.state != DRAFT:
        raise NotADraft()
    recipients = select(literal(invitation.id), Subscriber.id)
    session.execute(
        insert(InvitationDelivery).from_select(["invitation_id", "subscriber_id"], recipients)
    )
    invitation.state, invitation.sending_at = SENDING, now or utcnow()
    session.flush()
    nudge_after_commit(session, "invitations.send_batch")  # if that fails, the sweep starts it
    return progress(session, [invitation.id])[invitation.id][1]


def progress(session: Session, invitation_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(queued, addressed) per invitation, in one statement."""
    rows = session.exec(
        select(
            InvitationDelivery.invitation_id,
            func.count(col(InvitationDelivery.queued_at)),
            func.count(),
        )
        .where(col(InvitationDelivery.invitation_id).in_(invitation_ids or [0]))
        .group_by(col(InvitationDelivery.invitation_id))
    ).all()
    found = {invitation_id: (queued, total) for invitation_id, queued, total in rows}
    return {i: found.get(i, (0, 0)) for i in invitation_ids}


# --- the worker's side ---------------------------------------------------------------------------
@job("invitations.send_batch", retries=2, retry_delay=30.0)
def send_batch() -> None:
    """When a sending starts: the first batch at once."""
    send_due()


@job("invitations.sweep", retries=0, periodic=crontab())
def sweep() -> None:
    """Every minute: the next batch of every invitation being sent."""
    send_due()


def send_due(*, now: datetime | None = None) -> int:
    """Queue the mails the throttle allows now; how many. ``now`` fixes the clock (tests)."""
    engine = get_engine()
    now = now or utcnow()
    with Session(engine) as session:
        recent = session.exec(
            select(func.count()).where(col(InvitationDelivery.queued_at) > now - WINDOW)
        ).one()
        budget = int(current_app.config["INVITATIONS_SEND_PER_MINUTE"]) - recent
        ids = session.exec(
            select(InvitationDelivery.id)
            .join(Invitation, col(Invitation.id) == InvitationDelivery.invitation_id)
            .where(
                col(Invitation.state) == SENDING,
                col(InvitationDelivery.queued_at).is_(None),
                col(InvitationDelivery.subscriber_id).is_not(None),
            )
            .order_by(col(InvitationDelivery.id))
            .limit(max(budget, 0))
        ).all()
    queued = 0
    for delivery_id in ids:
        with Session(engine) as session:
            queued += _queue(session, delivery_id, now)
    _finish_sent(engine, now)
    return queued


def _queue(session: Session, delivery_id: int, now: datetime) -> bool:
    """Claim one delivery and put its mail into the outbox, in one transaction."""
    claim = (
        update(InvitationDelivery)
        .where(
            col(InvitationDelivery.id) == delivery_id,
            col(InvitationDelivery.queued_at).is_(None),
        )
        .values(queued_at=now)
    )
    if session.execute(claim).rowcount != 1:  # another worker has it
        session.rollback()
        return False
    delivery = session.get(InvitationDelivery, delivery_id)
    subscriber = delivery.subscriber_id and session.get(Subscriber, delivery.subscriber_id)
    if not subscriber:  # left the list meanwhile
        session.rollback()
        return False
    invitation = session.get(Invitation, delivery.invitation_id)
    send_after_commit(session, invitation_mail(invitation, subscriber))
    session.commit()
    return True


def invitation_mail(invitation: Invitation, subscriber: Subscriber) -> EmailMessage:
    english = subscriber.locale == "en" and invitation.has_english
    locale = "en" if english else "sv"
    link = unsubscribe_url(subscriber)
    message = compose(
        to=subscriber.email,
        subject=invitation.subject_en if english else invitation.subject_sv,
        template="invitation",
        locale=locale,
        body=invitation.body_en if english else invitation.body_sv,
        body_html=invitation.body_en_html if english else invitation.body_sv_html,
        unsubscribe=link,
    )
    add_unsubscribe_headers(
        message, url=link, mailto=current_app.config.get("UNSUBSCRIBE_MAILTO") or None
    )
    return message


def _finish_sent(engine, now: datetime) -> None:
    """Mark sent what has nothing left to queue (rows of those who left are dropped)."""
    with Session(engine) as session:
        pending = select(InvitationDelivery.id).where(
            col(InvitationDelivery.invitation_id) == Invitation.id,
            col(InvitationDelivery.queued_at).is_(None),
            col(InvitationDelivery.subscriber_id).is_not(None),
        )
        done = session.exec(
            select(Invitation.id).where(col(Invitation.state) == SENDING, ~pending.exists())
        ).all()
        if not done:
            return
        session.execute(
            delete(InvitationDelivery).where(
                and_(
                    col(InvitationDelivery.invitation_id).in_(done),
                    col(InvitationDelivery.queued_at).is_(None),
                )
            )
        )
        session.execute(
            update(Invitation)
            .where(col(Invitation.id).in_(done), col(Invitation.state) == SENDING)
            .values(state=SENT, sent_at=now)
        )
        session.commit()
        log.info("invitations %s sent", ", ".join(map(str, done)))
