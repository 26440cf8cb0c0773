"""Moderating a post: hide, restore, edit in the author's place, or delete for good (admins).

Same contract as every moderation service: keyword-only, permission-checked, ``flush`` only,
exactly one audit entry; acting on a post resolves its open reports.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from .. import permissions
from ..clock import utcnow
from ..discussions.models import Post, Thread, ThreadRedirect
from ..discussions.service import edit_post
from ..domain import DomainError, InvalidInput, NotAllowed
from .audit import Target, record
from .errors import InvalidAction
from .models import ReportStatus
from .reports import close_reports
from .rules import clean_reason, is_first_post, refresh_counters, require_moderator, unhide_post


def hide_post(*, session: Session, actor, post: Post, reason: str) -> Post:
    """Hide a post (a first post hides its thread too); open reports on it are resolved."""
    require_moderator(actor)
    reason = clean_reason(reason)
    if post.hidden_at is not None:
        raise InvalidAction(_l("This post is already hidden."))
    thread = session.get(Thread, post.thread_id)
    now = utcnow()
    post.hidden_at, post.hidden_by_id, post.hidden_reason = now, actor.id, reason
    first = is_first_post(session, post)
    if first and thread.hidden_at is None:
        thread.hidden_at = now
    if thread.solution_post_id == post.id:
        thread.solution_post_id = None
    refresh_counters(session, thread)
    closed = close_reports(session, actor, "post", post.id, ReportStatus.resolved, reason)
    record(
        session=session,
        actor=actor,
        action="post.hide",
        target=Target.post(post),
        reason=reason,
        before={"hidden": False},
        after={"hidden": True, "thread_hidden": first, "report_ids": closed},
    )
    return post


def restore_post(*, session: Session, actor, post: Post, reason: str = "") -> Post:
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    if post.hidden_at is None:
        raise InvalidAction(_l("This post is not hidden."))
    before = {"hidden": True, "hidden_reason": post.hidden_reason}
    first = unhide_post(session, post)
    record(
        session=session,
        actor=actor,
        action="post.restore",
        target=Target.post(post),
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
    require_moderator(actor)
    reason = clean_reason(reason)
    before = {"body": post.body}
    try:
        edit_post(session=session, actor=actor, post=post, body=body, title=title)
    except DomainError as exc:
        raise InvalidInput(exc.message) from exc
    closed = close_reports(session, actor, "post", post.id, ReportStatus.resolved, reason)
    record(
        session=session,
        actor=actor,
        action="post.edit",
        target=Target.post(post),
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
    reason = clean_reason(reason)
    thread = session.get(Thread, post.thread_id)
    first = is_first_post(session, post)
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
        closed += close_reports(session, actor, "post", gone.id, ReportStatus.resolved, reason)
        session.delete(gone)
    session.flush()
    remaining = None
    if first:
        for redirect in session.exec(
            select(ThreadRedirect).where(ThreadRedirect.new_thread_id == thread.id)
        ):
            session.delete(redirect)
        session.delete(thread)
    else:
        if thread.solution_post_id == post.id:
            thread.solution_post_id = None
        refresh_counters(session, thread)
        remaining = thread.id
    session.flush()
    record(
        session=session,
        actor=actor,
        action="post.delete",
        target=Target("post", before["post_ids"][0] if first else post.id, before["author_id"]),
        reason=reason,
        before=before,
        after={"thread_deleted": first, "report_ids": closed},
    )
    return remaining
