"""Moderation rules: reports, post actions and user actions.

Every function is keyword-only ``(*, session, actor, ...)``, checks ``forum.permissions``,
raises ``forum.moderation.errors``, only ``flush``es (the view commits once) and writes exactly
one audit entry. Thread actions live in ``threads.py``, optional approval in ``approval.py``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..discussions.models import Post, Thread
from ..i18n import utcnow
from .audit import record
from .errors import InvalidAction, InvalidInput, ItemNotFound, NotAllowed
from .items import ITEM_TYPES, load_item
from .models import (
    INDEFINITE,
    Report,
    ReportReason,
    ReportStatus,
    Suspension,
    UserNote,
    UserWarning,
)

REASON_MAX = 1000


def _require_moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise NotAllowed()


def _clean_reason(reason: str | None, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput(_l("Give a reason."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(_l("Keep the reason under %(max)d characters.", max=REASON_MAX))
    return reason


def _refresh_counters(session: Session, thread: Thread | None) -> None:
    from ..discussions.service import refresh_thread_counters

    if thread is not None:
        refresh_thread_counters(session=session, thread=thread)


def _is_first_post(session: Session, post: Post) -> bool:
    from ..discussions.service import is_first_post

    return is_first_post(session=session, post=post)


# --- reports --------------------------------------------------------------------------------------
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


def open_reports_by(*, session: Session, user) -> dict[tuple[str, int], Report]:
    """All open reports of ``user``, keyed by (item type, item id): one query for a whole page."""
    if not permissions.is_member(user):
        return {}
    reports = session.exec(
        select(Report).where(Report.reporter_id == user.id, Report.status == ReportStatus.open)
    )
    return {(r.item_type, r.item_id): r for r in reports}


def file_report(
    *, session: Session, actor, item_type: str, item_id: int, reason: str, comment: str = ""
) -> Report:
    """Report a post, lesson or project. One open report per user and item."""
    if not permissions.can_report(actor):
        raise NotAllowed(_l("You cannot report right now."))
    if item_type not in ITEM_TYPES:
        raise InvalidInput()
    try:
        reason_value = ReportReason(reason)
    except ValueError:
        raise InvalidInput(_l("Choose a reason from the list.")) from None
    item = load_item(session, item_type, item_id)
    if item is None or (item.hidden and not permissions.can_moderate(actor)):
        raise ItemNotFound()
    if item.author_id == actor.id:
        raise InvalidAction(_l("You cannot report your own contribution."))
    if (
        open_report_by(session=session, user=actor, item_type=item_type, item_id=item_id)
        is not None
    ):
        raise InvalidAction(_l("You have already reported this. A moderator will look at it."))
    comment = _clean_reason(comment, required=False)
    report = Report(
        reporter_id=actor.id,
        item_type=item_type,
        item_id=item_id,
        reason=reason_value,
        comment=comment,
    )
    session.add(report)
    session.flush()
    record(
        session=session,
        actor=actor,
        action="report.file",
        target_type=item_type,
        target_id=item_id,
        target_user_id=item.author_id,
        reason=reason_value.value,
        after={"report_id": report.id, "comment": comment},
    )
    return report


def withdraw_report(*, session: Session, actor, report: Report) -> Report:
    if not permissions.is_member(actor) or report.reporter_id != actor.id:
        raise NotAllowed()
    if report.status != ReportStatus.open:
        raise InvalidAction(_l("This report is already closed."))
    report.status, report.updated_at = ReportStatus.withdrawn, utcnow()
    session.flush()
    record(
        session=session,
        actor=actor,
        action="report.withdraw",
        target_type=report.item_type,
        target_id=report.item_id,
        after={"report_id": report.id},
    )
    return report


def _close_reports(
    session: Session, actor, item_type: str, item_id: int, status: ReportStatus, note: str
) -> list[int]:
    """Close every open report of the item; returns their ids (recorded in the caller's entry)."""
    closed = []
    now = utcnow()
    for report in open_reports_for(session=session, item_type=item_type, item_id=item_id):
        report.status, report.resolved_by_id, report.resolution_note = status, actor.id, note
        report.resolved_at = report.updated_at = now
        closed.append(report.id)
    session.flush()
    return closed


def dismiss_reports(
    *, session: Session, actor, item_type: str, item_id: int, reason: str
) -> list[int]:
    """Nothing to act on: close the item's open reports as dismissed."""
    return _settle_reports(
        session, actor, item_type, item_id, reason, ReportStatus.dismissed, "report.dismiss"
    )


def resolve_reports(
    *, session: Session, actor, item_type: str, item_id: int, reason: str
) -> list[int]:
    """Handled another way (e.g. the author fixed it): close the item's open reports as resolved."""
    return _settle_reports(
        session, actor, item_type, item_id, reason, ReportStatus.resolved, "report.resolve"
    )


def _settle_reports(session, actor, item_type, item_id, reason, status, action) -> list[int]:
    _require_moderator(actor)
    reason = _clean_reason(reason)
    item = load_item(session, item_type, item_id)
    closed = _close_reports(session, actor, item_type, item_id, status, reason)
    if not closed:
        raise InvalidAction(_l("There are no open reports on this item."))
    record(
        session=session,
        actor=actor,
        action=action,
        target_type=item_type,
        target_id=item_id,
        target_user_id=item.author_id if item else None,
        reason=reason,
        after={"report_ids": closed},
    )
    return closed


# --- posts ----------------------------------------------------------------------------------------
def hide_post(*, session: Session, actor, post: Post, reason: str) -> Post:
    """Hide a post (a first post hides its thread too); open reports on it are resolved."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    if post.hidden_at is not None:
        raise InvalidAction(_l("This post is already hidden."))
    thread = session.get(Thread, post.thread_id)
    now = utcnow()
    post.hidden_at, post.hidden_by_id, post.hidden_reason = now, actor.id, reason
    first = _is_first_post(session, post)
    if first and thread.hidden_at is None:
        thread.hidden_at = now
    if thread.solution_post_id == post.id:
        thread.solution_post_id = None
    _refresh_counters(session, thread)
    closed = _close_reports(session, actor, "post", post.id, ReportStatus.resolved, reason)
    record(
        session=session,
        actor=actor,
        action="post.hide",
        target_type="post",
        target_id=post.id,
        target_user_id=post.author_id,
        reason=reason,
        before={"hidden": False},
        after={"hidden": True, "thread_hidden": first, "report_ids": closed},
    )
    return post


def restore_post(*, session: Session, actor, post: Post, reason: str = "") -> Post:
    _require_moderator(actor)
    reason = _clean_reason(reason, required=False)
    if post.hidden_at is None:
        raise InvalidAction(_l("This post is not hidden."))
    thread = session.get(Thread, post.thread_id)
    before = {"hidden": True, "hidden_reason": post.hidden_reason}
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, None
    first = _is_first_post(session, post)
    if first:
        thread.hidden_at = None
    _refresh_counters(session, thread)
    record(
        session=session,
        actor=actor,
        action="post.restore",
        target_type="post",
        target_id=post.id,
        target_user_id=post.author_id,
        reason=reason,
        before=before,
        after={"hidden": False, "thread_restored": first},
    )
    return post


def moderator_edit_post(
    *, session: Session, actor, post: Post, body: str, reason: str, title: str | None = None
) -> Post:
    """Edit somebody's post; the revision carries the moderator's name. Open reports are
    resolved."""
    from ..discussions.service import DiscussionError, edit_post

    _require_moderator(actor)
    reason = _clean_reason(reason)
    before = {"body": post.body}
    try:
        edit_post(session=session, actor=actor, post=post, body=body, title=title)
    except DiscussionError as exc:
        raise InvalidInput(exc.message) from exc
    closed = _close_reports(session, actor, "post", post.id, ReportStatus.resolved, reason)
    record(
        session=session,
        actor=actor,
        action="post.edit",
        target_type="post",
        target_id=post.id,
        target_user_id=post.author_id,
        reason=reason,
        before=before,
        after={"body": post.body, "report_ids": closed},
    )
    return post


def delete_post_permanently(*, session: Session, actor, post: Post, reason: str) -> int | None:
    """Admins only. A first post takes its whole thread with it. Returns the remaining thread id.

    The audit entry keeps who, when and why, not the erased text.
    """
    if not permissions.can_delete_permanently(actor):
        raise NotAllowed()
    reason = _clean_reason(reason)
    thread = session.get(Thread, post.thread_id)
    first = _is_first_post(session, post)
    posts = list(session.exec(select(Post).where(Post.thread_id == thread.id))) if first else [post]
    before = {
        "thread_id": thread.id,
        "thread_title": thread.title,
        "author_id": post.author_id,
        "created_at": post.created_at.isoformat(),
        "post_ids": [p.id for p in posts],
    }
    closed: list[int] = []
    for gone in posts:
        closed += _close_reports(session, actor, "post", gone.id, ReportStatus.resolved, reason)
        session.delete(gone)
    session.flush()
    remaining = None
    if first:
        from ..discussions.models import ThreadRedirect

        for redirect in session.exec(
            select(ThreadRedirect).where(ThreadRedirect.new_thread_id == thread.id)
        ):
            session.delete(redirect)
        session.delete(thread)
    else:
        if thread.solution_post_id == post.id:
            thread.solution_post_id = None
        _refresh_counters(session, thread)
        remaining = thread.id
    session.flush()
    record(
        session=session,
        actor=actor,
        action="post.delete",
        target_type="post",
        target_id=before["post_ids"][0] if first else post.id,
        target_user_id=before["author_id"],
        reason=reason,
        before=before,
        after={"thread_deleted": first, "report_ids": closed},
    )
    return remaining


# --- users ----------------------------------------------------------------------------------------
def _require_power_over(actor, user: User) -> None:
    if not permissions.can_suspend(actor, user):
        raise NotAllowed(_l("You cannot take this action against this user."))


def _closing_item(session, actor, item_type, item_id, reason) -> list[int]:
    if item_type and item_id:
        return _close_reports(
            session, actor, item_type, int(item_id), ReportStatus.resolved, reason
        )
    return []


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
    message = _clean_reason(message)
    warning = UserWarning(user_id=user.id, issued_by_id=actor.id, message=message)
    session.add(warning)
    session.flush()
    closed = _closing_item(session, actor, item_type, item_id, message)
    record(
        session=session,
        actor=actor,
        action="user.warn",
        target_type="user",
        target_id=user.id,
        target_user_id=user.id,
        reason=message,
        after={
            "warning_id": warning.id,
            "item_type": item_type,
            "item_id": item_id,
            "report_ids": closed,
        },
    )
    return warning


def unacknowledged_warnings(*, session: Session, user) -> list[UserWarning]:
    if not permissions.is_member(user):
        return []
    return list(
        session.exec(
            select(UserWarning)
            .where(UserWarning.user_id == user.id, UserWarning.acknowledged_at.is_(None))
            .order_by(UserWarning.id)
        )
    )


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
        target_type="user",
        target_id=actor.id,
        target_user_id=actor.id,
        after={"warning_id": warning.id},
    )
    return warning


def active_suspension(*, session: Session, user) -> Suspension | None:
    """The suspension in force (with its reason), or None."""
    if not permissions.is_suspended(user):
        return None
    return session.exec(
        select(Suspension)
        .where(Suspension.user_id == user.id, Suspension.lifted_at.is_(None))
        .order_by(Suspension.id.desc())
    ).first()


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
    reason = _clean_reason(reason)
    now = utcnow()
    if until is not None and until <= now:
        raise InvalidInput(_l("The end of the suspension must be in the future."))
    before = {"suspended_until": _iso(user.suspended_until)}
    for earlier in session.exec(
        select(Suspension).where(Suspension.user_id == user.id, Suspension.lifted_at.is_(None))
    ):
        earlier.lifted_at, earlier.lifted_by_id = now, actor.id  # replaced by this one
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
        target_type="user",
        target_id=user.id,
        target_user_id=user.id,
        reason=reason,
        before=before,
        after={"suspended_until": _iso(until), "indefinite": until is None, "report_ids": closed},
    )
    return suspension


def lift_suspension(*, session: Session, actor, user: User, reason: str = "") -> User:
    _require_power_over(actor, user)
    reason = _clean_reason(reason, required=False)
    if not permissions.is_suspended(user):
        raise InvalidAction(_l("This user is not suspended."))
    now = utcnow()
    before = {"suspended_until": _iso(user.suspended_until)}
    for suspension in session.exec(
        select(Suspension).where(Suspension.user_id == user.id, Suspension.lifted_at.is_(None))
    ):
        suspension.lifted_at, suspension.lifted_by_id = now, actor.id
    user.suspended_until = None
    session.flush()
    record(
        session=session,
        actor=actor,
        action="user.lift_suspension",
        target_type="user",
        target_id=user.id,
        target_user_id=user.id,
        reason=reason,
        before=before,
        after={"suspended_until": None},
    )
    return user


def add_user_note(*, session: Session, actor, user: User, body: str) -> UserNote:
    _require_moderator(actor)
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise InvalidInput(_l("Write a note of at most %(max)d characters.", max=5000))
    note = UserNote(user_id=user.id, author_id=actor.id, body=body)
    session.add(note)
    session.flush()
    record(
        session=session,
        actor=actor,
        action="user.note",
        target_type="user",
        target_id=user.id,
        target_user_id=user.id,
        after={"note_id": note.id},
    )
    return note


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
