"""Watching and notifications: the writes.

Keyword-only functions that check their rules, raise ``forum.domain`` errors and only ``flush``.
What each event triggers (who is told about a reply, a new thread...) is in ``fanout``; this
module holds the levels, the defaults, ``notify`` and the read marks.

Levels of a watched item: ``watching`` (every new post or item), ``tracking`` (only mentions
and replies to me), ``muted`` (nothing, even where a default would watch). No row: the member's
defaults (``WatchDefaults``) decide when they post or publish.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, update
from sqlmodel import Session, select

from .. import permissions
from ..clock import utcnow
from ..core.models import Goal, Theme
from ..discussions.models import Thread
from ..domain import InvalidInput, NotAllowed, NotFound
from ..lessons.models import Lesson
from ..projects.models import Project
from ..web.inputs import whole_number
from . import preferences
from .kinds import (  # noqa: F401  (the kinds are part of this module's interface)
    KIND_APPROVAL,
    KIND_FEATURED,
    KIND_MENTION,
    KIND_NEW_LESSON,
    KIND_NEW_THREAD,
    KIND_REPLY,
    KIND_REPORT,
    KIND_SOLUTION,
    KINDS,
)
from .models import Notification, Watch, WatchDefaults

WATCHING, TRACKING, MUTED = "watching", "tracking", "muted"
LEVELS = (WATCHING, TRACKING, MUTED)
TARGET_TYPES = ("thread", "lesson", "project", "theme", "goal", "search")

MAX_SAVED_SEARCHES = 20  # per member: bounds the work of matching every new thread and lesson


# --- watching -----------------------------------------------------------------------------------
# Built once: the watch control of every page a member reads asks for it.
_WATCH_ROW = select(Watch).where(
    Watch.user_id == bindparam("user_id"),
    Watch.target_type == bindparam("target_type"),
    Watch.target_key == bindparam("target_key"),
)


def _watch_row(session: Session, user_id: int, target_type: str, target_key: str) -> Watch | None:
    params = {"user_id": user_id, "target_type": target_type, "target_key": target_key}
    return session.exec(_WATCH_ROW, params=params).first()


def watch_level(*, session: Session, user, target_type: str, target_key) -> str | None:
    """The member's level for the item, None when they have not chosen one."""
    if not permissions.is_member(user):
        return None
    row = _watch_row(session, user.id, target_type, str(target_key))
    return row.level if row else None


def check_target(session: Session, actor, target_type: str, target_key: str) -> str:
    """The key, cleaned; NotFound when the actor cannot see the item (nobody watches what they
    may not read)."""
    if target_type == "search":
        if not target_key.strip():
            raise InvalidInput(_l("Search for something before you watch the search."))
        return target_key
    key = whole_number(target_key)
    if key is None or target_type not in TARGET_TYPES:
        raise NotFound()
    found = None
    if target_type == "thread":
        thread = session.get(Thread, key)
        found = thread if permissions.can_view_thread(actor, thread) else None
    elif target_type == "lesson":
        lesson = session.get(Lesson, key)
        visible = permissions.can_view_lesson(actor, lesson)
        found = lesson if visible and not permissions.is_hidden_for(actor, lesson) else None
    elif target_type == "project":
        project = session.get(Project, key)
        found = project if not permissions.is_hidden_for(actor, project) else None
    elif target_type == "theme":
        found = session.get(Theme, key)
    elif target_type == "goal":
        found = session.exec(select(Goal).where(Goal.number == key)).first()
    if found is None:
        raise NotFound()
    return str(key)


def set_watch(
    *, session: Session, actor, target_type: str, target_key: str, level: str | None
) -> Watch | None:
    """Choose the level for an item (``None`` or "" forgets the choice); returns the row."""
    if not permissions.is_member(actor):
        raise NotAllowed()
    if target_type not in TARGET_TYPES:
        raise NotFound()
    if level and level not in LEVELS:
        raise InvalidInput(_l("Choose how closely to follow it."), field="level")
    key = check_target(session, actor, target_type, str(target_key or ""))
    row = _watch_row(session, actor.id, target_type, key)
    if not level:
        if row is not None:
            session.delete(row)
            session.flush()
        return None
    if row is None:
        if target_type == "search" and saved_search_count(session, actor.id) >= MAX_SAVED_SEARCHES:
            raise InvalidInput(
                _l("You can watch at most %(max)d searches.", max=MAX_SAVED_SEARCHES)
            )
        row = Watch(user_id=actor.id, target_type=target_type, target_key=key, level=level)
        session.add(row)
    else:
        row.level, row.updated_at = level, utcnow()
    session.flush()
    return row


def saved_search_count(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Watch)
        .where(Watch.user_id == user_id, Watch.target_type == "search")
    ).one()


def watch_by_default(session: Session, user_id: int | None, target_type: str, key: int) -> None:
    """What a member posts in or writes, they watch, if their defaults say so and they have not
    chosen a level for it themselves (a muted thread stays muted)."""
    if user_id is None:
        return
    defaults = defaults_of(session=session, user_id=user_id)
    wanted = defaults.threads if target_type == "thread" else defaults.lessons
    if wanted and _watch_row(session, user_id, target_type, str(key)) is None:
        session.add(
            Watch(user_id=user_id, target_type=target_type, target_key=str(key), level=WATCHING)
        )
        session.flush()


# --- defaults -----------------------------------------------------------------------------------
def defaults_of(*, session: Session, user_id: int) -> WatchDefaults:
    """The member's defaults (an unsaved row with the model's defaults when they never chose)."""
    return session.get(WatchDefaults, user_id) or WatchDefaults(user_id=user_id)


def save_defaults(*, session: Session, actor, threads: bool, lessons: bool) -> WatchDefaults:
    if not permissions.is_member(actor):
        raise NotAllowed()
    row = session.get(WatchDefaults, actor.id) or WatchDefaults(user_id=actor.id)
    row.threads, row.lessons = bool(threads), bool(lessons)
    session.add(row)
    session.flush()
    return row


# --- notifications ------------------------------------------------------------------------------
def notify(
    *,
    session: Session,
    user_id: int,
    kind: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    lesson_id: int | None = None,
    report_id: int | None = None,
    reason: str = "",
    group_key: str | None = None,
) -> Notification | None:
    """Tell one member; nothing when they are the actor. Visibility is checked when it is shown
    (``visibility``), so a caller may notify about content the member cannot see (yet)."""
    made = notify_many(
        session=session,
        user_ids=[user_id],
        kind=kind,
        actor_id=actor_id,
        thread_id=thread_id,
        post_id=post_id,
        lesson_id=lesson_id,
        report_id=report_id,
        reason=reason,
        group_key=group_key,
    )
    return made[0] if made else None


def notify_many(
    *,
    session: Session,
    user_ids: Iterable[int],
    kind: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    lesson_id: int | None = None,
    report_id: int | None = None,
    reason: str | dict = "",
    group_key: str | None = None,
) -> list[Notification]:
    """The same notification for several members (each once, never the actor). ``reason`` may
    map a member to their own reason (the watch that caught it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = utcnow()
    made = []
    for user_id in dict.fromkeys(user_ids):
        if user_id is None or user_id == actor_id:
            continue
        notification = Notification(
            user_id=user_id,
            kind=kind,
            actor_id=actor_id,
            thread_id=thread_id,
            post_id=post_id,
            lesson_id=lesson_id,
            report_id=report_id,
            reason=(reason.get(user_id, "") if isinstance(reason, dict) else reason),
            group_key=group_key or default_group(kind, thread_id, post_id, lesson_id),
            created_at=now,
        )
        session.add(notification)
        made.append(notification)
    if made:
        session.flush()
        preferences.queue_at_once(session, made)
    return made


def default_group(kind: str, thread_id, post_id, lesson_id) -> str:
    """Replies group by thread ("3 new replies in ..."); moderators' work by kind; the rest stand
    alone."""
    if kind == KIND_REPLY:
        return f"reply:{thread_id}"
    if kind in (KIND_REPORT, KIND_APPROVAL):
        return kind
    if kind == KIND_NEW_LESSON or kind == KIND_FEATURED:
        return f"{kind}:{lesson_id}"
    if kind == KIND_NEW_THREAD:
        return f"{kind}:{thread_id}"
    return f"{kind}:{post_id}"


def get_own(*, session: Session, actor, notification_id: int) -> Notification:
    """The member's own notification; NotFound for anybody else's (it never says it exists)."""
    notification = session.get(Notification, notification_id)
    if notification is None or not permissions.is_member(actor) or notification.user_id != actor.id:
        raise NotFound()
    return notification


def mark_read(*, session: Session, actor, notification: Notification) -> int:
    """Mark the notification and the rest of its group read (the page shows them as one)."""
    if notification.user_id != getattr(actor, "id", None):
        raise NotFound()
    result = session.execute(
        update(Notification)
        .where(
            Notification.user_id == actor.id,
            Notification.group_key == notification.group_key,
            Notification.id <= notification.id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount


def mark_all_read(*, session: Session, actor) -> int:
    if not permissions.is_member(actor):
        raise NotAllowed()
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount


def mark_read_for_everyone(*, session: Session, kind: str, post_id: int) -> None:
    """Work that is done (a post approved) no longer waits in any moderator's list."""
    session.execute(
        update(Notification)
        .where(
            Notification.kind == kind,
            Notification.post_id == post_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def forget_member(*, session: Session, user_id: int) -> None:
    """A deleted account: its watches, notifications, defaults and mail choices go."""
    for model in (Watch, Notification, WatchDefaults):
        session.execute(delete(model).where(model.user_id == user_id))
    preferences.forget_member(session=session, user_id=user_id)
    session.flush()
