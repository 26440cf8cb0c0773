"""Reads of the invitation list: the public archive, the admins' list, one invitation."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from .models import SENT, Invitation, Subscriber
from .sending import progress

ARCHIVE_PAGE = 20


def archive(session: Session, page: int = 1) -> tuple[list[Invitation], bool]:
    """Sent invitations, newest first, and whether there is a next page (one statement)."""
    rows = session.exec(
        select(Invitation)
        .where(col(Invitation.state) == SENT)
        .order_by(col(Invitation.sent_at).desc(), col(Invitation.id).desc())
        .offset((page - 1) * ARCHIVE_PAGE)
        .limit(ARCHIVE_PAGE + 1)
    ).all()
    return list(rows[:ARCHIVE_PAGE]), len(rows) > ARCHIVE_PAGE


def sent_invitation(session: Session, invitation_id: int) -> Invitation | None:
    invitation = session.get(Invitation, invitation_id)
    return invitation if invitation is not None and invitation.state == SENT else None


def admin_list(session: Session) -> tuple[list[tuple[Invitation, int, int]], int]:
    """Every invitation, newest first, with (queued, addressed); and the list's size."""
    invitations = session.exec(select(Invitation).order_by(col(Invitation.id).desc())).all()
    counts = progress(session, [i.id for i in invitations])
    rows = [(i, *counts[i.id]) for i in invitations]
    return rows, subscriber_count(session)


def subscriber_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Subscriber)).one()
