"""Moderating a member: warnings, suspensions and the moderators' notes.

Same contract as every moderation service: keyword-only, permission-checked, ``flush`` only,
exactly one audit entry. A warning or suspension given from the review queue names the item it
is about and resolves that item's open reports.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..clock import utcnow
from ..domain import InvalidInput, NotAllowed
from .audit import Target, record
from .errors import InvalidAction
from .models import INDEFINITE, ReportStatus, Suspension, UserNote, UserWarning
from .reports import close_reports
from .rules import clean_reason, require_moderator

NOTE_MAX = 5000


def _require_power_over(actor, user: User) -> None:
    if not permissions.can_suspend(actor, user):
        raise NotAllowed(_l("You cannot take this action against this user."))


def _closing_item(session, actor, item_type, item_id, reason) -> list[int]:
    if item_type and item_id:
        return close_reports(session, actor, item_type, int(item_id), ReportStatus.resolved, reason)
    return []


def _end_suspensions(session: Session, actor, user: User, now: datetime) -> None:
    for suspension in session.exec(
        select(Suspension).where(Suspension.user_id == user.id, Suspension.lifted_at.is_(None))
    ):
        suspension.lifted_at, suspension.lifted_by_id = now, actor.id


def warn_user(
    *,
    session: Session,
    actor,
    user: User,
    message: str,
    item_type: str | None = None,
    item_id: int | None = None,
) -> UserWarning:
    """A message the user sees until they acknowledge it. From the queue, resolves the item's
    reports."""
    _require_power_over(actor, user)
    message = clean_reason(message)
    warning = UserWarning(
        user_id=user.id,
        issued_by_id=actor.id,
        message=message,
        item_type=item_type if item_id is not None else None,
        item_id=item_id if item_type is not None else None,
    )
    session.add(warning)
    session.flush()
    closed = _closing_item(session, actor, item_type, item_id, message)
    record(
        session=session,
        actor=actor,
        action="user.warn",
        target=Target.user(user),
        reason=message,
        after={
            "warning_id": warning.id,
            "item_type": item_type,
            "item_id": item_id,
            "report_ids": closed,
        },
    )
    return warning


def acknowledge_warning(*, session: Session, actor, warning: UserWarning) -> UserWarning:
    if not permissions.is_member(actor) or warning.user_id != actor.id:
        raise NotAllowed()
    if warning.acknowledged_at is not None:
        raise InvalidAction(_l("You have already acknowledged this warning."))
    warning.acknowledged_at = utcnow()
    session.flush()
    record(
        session=session,
        actor=actor,
        action="user.acknowledge_warning",
        target=Target.user(actor),
        after={"warning_id": warning.id},
    )
    return warning


def suspend_user(
    *,
    session: Session,
    actor,
    user: User,
    reason: str,
    until: datetime | None = None,
    item_type: str | None = None,
    item_id: int | None = None,
) -> Suspension:
    """Suspend until ``until`` (naive UTC) or, with ``until=None``, indefinitely."""
    _require_power_over(actor, user)
    reason = clean_reason(reason)
    now = utcnow()
    if until is not None and until <= now:
        raise InvalidInput(_l("The end of the suspension must be in the future."))
    before = {"suspended_until": _iso(user.suspended_until)}
    _end_suspensions(session, actor, user, now)  # this one replaces them
    suspension = Suspension(
        user_id=user.id, issued_by_id=actor.id, reason=reason, until=until, created_at=now
    )
    session.add(suspension)
    user.suspended_until = until or INDEFINITE
    session.flush()
    closed = _closing_item(session, actor, item_type, item_id, reason)
    record(
        session=session,
        actor=actor,
        action="user.suspend",
        target=Target.user(user),
        reason=reason,
        before=before,
        after={"suspended_until": _iso(until), "indefinite": until is None, "report_ids": closed},
    )
    return suspension


def lift_suspension(*, session: Session, actor, user: User, reason: str = "") -> User:
    _require_power_over(actor, user)
    reason = clean_reason(reason, required=False)
    if not permissions.is_suspended(user):
        raise InvalidAction(_l("This user is not suspended."))
    before = {"suspended_until": _iso(user.suspended_until)}
    _end_suspensions(session, actor, user, utcnow())
    user.suspended_until = None
    session.flush()
    record(
        session=session,
        actor=actor,
        action="user.lift_suspension",
        target=Target.user(user),
        reason=reason,
        before=before,
        after={"suspended_until": None},
    )
    return user


def add_user_note(*, session: Session, actor, user: User, body: str) -> UserNote:
    require_moderator(actor)
    body = (body or "").strip()
    if not body or len(body) > NOTE_MAX:
        raise InvalidInput(_l("Write a note of at most %(max)d characters.", max=NOTE_MAX))
    note = UserNote(user_id=user.id, author_id=actor.id, body=body)
    session.add(note)
    session.flush()
    record(
        session=session,
        actor=actor,
        action="user.note",
        target=Target.user(user),
        after={"note_id": note.id},
    )
    return note


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
