"""Read-only queries of moderation: the review queue, the audit log, a user's record, open reports
and what a member is told (warnings, suspension)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, func, tuple_
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import Role, User
from .approval import pending_count
from .models import ModerationAction, Report, ReportStatus, Suspension, UserNote, UserWarning
from .reportable import ItemRef, load_items

QUEUE_LIMIT = 50
LOG_PAGE = 50


@dataclass
class QueueEntry:
    """One reported item: the item in context, its open reports, and the count that sets
    priority."""

    item_type: str
    item_id: int
    item: ItemRef | None
    reports: list[Report]
    first_reported: datetime
    author: User | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.reports)


def users_by_id(session: Session, ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))}


def open_item_count(session: Session) -> int:
    """Distinct reported items plus posts waiting for approval: the header badge."""
    items = session.exec(
        select(func.count()).select_from(
            select(Report.item_type, Report.item_id)
            .where(Report.status == ReportStatus.open)
            .group_by(Report.item_type, Report.item_id)
            .subquery()
        )
    ).one()
    return items + pending_count(session=session)


def queue(session: Session, limit: int = QUEUE_LIMIT) -> list[QueueEntry]:
    """Open reports grouped by item, most reported first, then oldest first."""
    groups = session.exec(
        select(Report.item_type, Report.item_id, func.count(Report.id), func.min(Report.created_at))
        .where(Report.status == ReportStatus.open)
        .group_by(Report.item_type, Report.item_id)
        .order_by(func.count(Report.id).desc(), func.min(Report.created_at))
        .limit(limit)
    ).all()
    keys = [(item_type, item_id) for item_type, item_id, _count, _first in groups]
    reports: dict[tuple[str, int], list[Report]] = {key: [] for key in keys}
    if keys:
        for report in session.exec(
            select(Report)
            .where(
                Report.status == ReportStatus.open,
                tuple_(Report.item_type, Report.item_id).in_(keys),
            )
            .order_by(Report.id)
        ):
            reports[report.item_type, report.item_id].append(report)
    items = load_items(session, keys)
    entries = []
    for item_type, item_id, _count, first in groups:
        key = (item_type, item_id)
        reasons: dict[str, int] = {}
        for report in reports[key]:
            reasons[report.reason.value] = reasons.get(report.reason.value, 0) + 1
        entries.append(
            QueueEntry(item_type, item_id, items.get(key), reports[key], first, reasons=reasons)
        )
    people = users_by_id(
        session,
        [r.reporter_id for e in entries for r in e.reports]
        + [e.item.author_id for e in entries if e.item],
    )
    for entry in entries:
        entry.author = people.get(entry.item.author_id) if entry.item else None
    return entries


def moderators(session: Session) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.role.in_([Role.moderator, Role.admin]))
            .order_by(User.display_name)
        )
    )


def log_entries(
    session: Session,
    *,
    moderator_id=None,
    action=None,
    user_id=None,
    since: date | None = None,
    until: date | None = None,
    before_id: int | None = None,
):
    """Newest first, ``LOG_PAGE`` at a time (keyset paging on the id)."""
    query = select(ModerationAction)
    if moderator_id:
        query = query.where(ModerationAction.actor_id == moderator_id)
    if action:
        query = query.where(ModerationAction.action == action)
    if user_id:
        query = query.where(ModerationAction.target_user_id == user_id)
    if since:
        query = query.where(ModerationAction.created_at >= datetime.combine(since, time.min))
    if until:
        query = query.where(
            ModerationAction.created_at < datetime.combine(until + timedelta(days=1), time.min)
        )
    if before_id:
        query = query.where(ModerationAction.id < before_id)
    rows = list(session.exec(query.order_by(ModerationAction.id.desc()).limit(LOG_PAGE + 1)))
    return rows[:LOG_PAGE], len(rows) > LOG_PAGE


def warnings_of(session: Session, user) -> list[UserWarning]:
    """Every warning ``user`` was given, newest first."""
    return list(
        session.exec(
            select(UserWarning)
            .where(UserWarning.user_id == user.id)
            .order_by(UserWarning.id.desc())
        )
    )


def warned_items(session: Session, warnings) -> dict[tuple[str, int], ItemRef]:
    """The posts, lessons and projects ``warnings`` are about, keyed (type, id)."""
    return load_items(session, [(w.item_type, w.item_id) for w in warnings if w.item_type])


def user_record(session: Session, user: User) -> dict:
    """Everything the user moderation page shows."""
    notes = list(
        session.exec(
            select(UserNote).where(UserNote.user_id == user.id).order_by(UserNote.id.desc())
        )
    )
    warnings = warnings_of(session, user)
    suspensions = list(
        session.exec(
            select(Suspension).where(Suspension.user_id == user.id).order_by(Suspension.id.desc())
        )
    )
    actions = list(
        session.exec(
            select(ModerationAction)
            .where(ModerationAction.target_user_id == user.id)
            .order_by(ModerationAction.id.desc())
            .limit(20)
        )
    )
    people = users_by_id(
        session,
        [n.author_id for n in notes]
        + [w.issued_by_id for w in warnings]
        + [s.issued_by_id for s in suspensions]
        + [a.actor_id for a in actions],
    )
    return {
        "notes": notes,
        "warnings": warnings,
        "warned_items": warned_items(session, warnings),
        "suspensions": suspensions,
        "actions": actions,
        "people": people,
    }


# --- open reports ---------------------------------------------------------------------------------
def open_reports_for(*, session: Session, item_type: str, item_id: int) -> list[Report]:
    return list(
        session.exec(
            select(Report)
            .where(
                Report.item_type == item_type,
                Report.item_id == item_id,
                Report.status == ReportStatus.open,
            )
            .order_by(Report.id)
        )
    )


def open_report_by(*, session: Session, user, item_type: str, item_id: int) -> Report | None:
    """The user's own open report of the item, if any (the page shows "reported")."""
    if not permissions.is_member(user):
        return None
    return session.exec(
        select(Report).where(
            Report.reporter_id == user.id,
            Report.item_type == item_type,
            Report.item_id == item_id,
            Report.status == ReportStatus.open,
        )
    ).first()


# Built once, run with the member's id: every thread page and every member's header asks them,
# and building a statement costs several times more than running one of these.
_OPEN_REPORTS_BY = select(Report).where(
    Report.reporter_id == bindparam("user_id"), Report.status == ReportStatus.open
)
_UNACKNOWLEDGED_WARNINGS = (
    select(UserWarning)
    .where(UserWarning.user_id == bindparam("user_id"), UserWarning.acknowledged_at.is_(None))
    .order_by(UserWarning.id)
)


def open_reports_by(*, session: Session, user) -> dict[tuple[str, int], Report]:
    """All open reports of ``user``, keyed by (item type, item id): one query for a whole page."""
    if not permissions.is_member(user):
        return {}
    reports = session.exec(_OPEN_REPORTS_BY, params={"user_id": user.id})
    return {(r.item_type, r.item_id): r for r in reports}


# --- what a member is told ------------------------------------------------------------------------
def unacknowledged_warnings(*, session: Session, user) -> list[UserWarning]:
    if not permissions.is_member(user):
        return []
    return list(session.exec(_UNACKNOWLEDGED_WARNINGS, params={"user_id": user.id}))


def active_suspension(*, session: Session, user) -> Suspension | None:
    """The suspension in force (with its reason), or None."""
    if not permissions.is_suspended(user):
        return None
    return session.exec(
        select(Suspension)
        .where(Suspension.user_id == user.id, Suspension.lifted_at.is_(None))
        .order_by(Suspension.id.desc())
    ).first()
