"""Hide and restore a lesson or a project: moderation's "hide the item" for what is not a post.

Same contract as every moderation service: keyword-only, permission-checked, ``flush`` only,
exactly one audit entry per call. A hidden lesson also hides its discussion thread (so its replies
leave lists, counts and search with it); restoring clears the thread again unless its first post
is itself hidden. A hidden project hides the project only: its lessons come from other people and
are hidden one by one if they must go too.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..clock import utcnow
from ..discussions.models import Post, Thread
from ..lessons.models import Lesson
from ..projects.models import Project
from .audit import Target, record
from .errors import InvalidAction
from .models import ReportStatus
from .reports import close_reports
from .rules import clean_reason, require_moderator


def _kind(item) -> str:
    return "lesson" if isinstance(item, Lesson) else "project"


def _target(item) -> Target:
    author_id = item.author_id if isinstance(item, Lesson) else item.creator_id
    return Target(_kind(item), item.id, author_id)


def _first_post_hidden(session: Session, thread: Thread) -> bool:
    first = session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id).limit(1)
    ).first()
    return first is not None and first.hidden_at is not None


def hide_item(*, session: Session, actor, item: Lesson | Project, reason: str) -> Lesson | Project:
    """Hide a lesson or a project with a reason; its open reports are resolved."""
    require_moderator(actor)
    reason = clean_reason(reason)
    kind = _kind(item)
    if item.hidden_at is not None:
        raise InvalidAction(_l("This is already hidden."))
    now = utcnow()
    item.hidden_at, item.hidden_by_id, item.hidden_reason = now, actor.id, reason
    thread_hidden = False
    if kind == "lesson" and item.thread_id:
        thread = session.get(Thread, item.thread_id)
        if thread is not None and thread.hidden_at is None:
            thread.hidden_at, thread_hidden = now, True
    session.flush()
    closed = close_reports(session, actor, kind, item.id, ReportStatus.resolved, reason)
    record(
        session=session,
        actor=actor,
        action=f"{kind}.hide",
        target=_target(item),
        reason=reason,
        before={"hidden": False},
        after={"hidden": True, "thread_hidden": thread_hidden, "report_ids": closed},
    )
    return item


def restore_item(
    *, session: Session, actor, item: Lesson | Project, reason: str = ""
) -> Lesson | Project:
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    kind = _kind(item)
    if item.hidden_at is None:
        raise InvalidAction(_l("This is not hidden."))
    before = {"hidden": True, "hidden_reason": item.hidden_reason}
    item.hidden_at, item.hidden_by_id, item.hidden_reason = None, None, None
    thread_restored = False
    if kind == "lesson" and item.thread_id:
        thread = session.get(Thread, item.thread_id)
        if (
            thread is not None
            and thread.hidden_at is not None
            and not _first_post_hidden(session, thread)
        ):
            thread.hidden_at, thread_restored = None, True
    session.flush()
    record(
        session=session,
        actor=actor,
        action=f"{kind}.restore",
        target=_target(item),
        reason=reason,
        before=before,
        after={"hidden": False, "thread_restored": thread_restored},
    )
    return item
