"""Reads of notifications and watches, each in a constant number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy import bindparam, case, func
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..core.models import Goal, Theme
from ..discussions.models import Thread
from ..i18n import localized
from ..lessons.models import Lesson
from ..projects.models import Project
from ..search.saved import args_of
from ..web.inputs import whole_number
from . import visibility
from .models import Notification, Watch
from .service import KIND_APPROVAL, KIND_REPORT

PER_PAGE = 20


# Built once: the header of every member's page counts (building costs more than running it).
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
)


def unread_count(session: Session, user_id: int) -> int:
    """One statement, answered from ``ix_notification_user_read`` (user_id, read_at)."""
    return session.exec(_UNREAD, params={"user_id": user_id}).one()


@dataclass
class Entry:
    """One line of the page: the newest notification of a group and how many it stands for."""

    notification: Notification
    count: int
    unread: bool
    title: str
    url: str
    actor: User | None = None


@dataclass
class NotificationPage:
    entries: list[Entry] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    unread: int = 0


def notification_page(session: Session, user, page: int = 1) -> NotificationPage:
    """The member's notifications, newest first, grouped (unread and read members of a group
    apart), 20 groups a page; what the member may no longer see is left out."""
    unread = case((Notification.read_at.is_(None), 1), else_=0)
    grouped = (
        select(
            func.max(Notification.id).label("newest"),
            func.count().label("count"),
            unread.label("unread"),
        )
        .where(Notification.user_id == user.id)
        .group_by(Notification.group_key, unread)
    )
    total = session.exec(select(func.count()).select_from(grouped.subquery())).one()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    rows = session.exec(
        grouped.order_by(func.max(Notification.id).desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    result = NotificationPage(page=page, pages=pages)
    if not rows:
        return result
    found = {
        n.id: n
        for n in session.exec(
            select(Notification).where(Notification.id.in_([row.newest for row in rows]))
        )
    }
    notifications = [found[row.newest] for row in rows]
    targets = visibility.check(session, notifications, users={user.id: user})
    actors = users_by_id(session, [n.actor_id for n in notifications])
    for row, notification in zip(rows, notifications, strict=True):
        if notification.id not in targets.visible:
            continue
        title, url = _describe(notification, targets)
        result.entries.append(
            Entry(
                notification=notification,
                count=row.count,
                unread=bool(row.unread),
                title=title,
                url=url,
                actor=actors.get(notification.actor_id),
            )
        )
    return result


def users_by_id(session: Session, ids) -> dict[int, User]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(wanted)))}


def _describe(notification: Notification, targets: visibility.Targets) -> tuple[str, str]:
    """The title of what it is about and where opening it leads."""
    title, endpoint, values = describe_target(notification, targets)
    return title, url_for(endpoint, **values)


def describe_target(
    notification: Notification, targets: visibility.Targets
) -> tuple[str, str, dict]:
    """The title of what it is about and the route (endpoint, values) opening it leads to; a
    mail builds its absolute link from them."""
    if notification.kind in (KIND_REPORT, KIND_APPROVAL):
        return "", "moderation.queue_page", {}
    lesson = targets.lesson_of(notification)
    thread = targets.thread_of(notification)
    title = lesson.title if lesson is not None else (thread.title if thread else "")
    if notification.post_id is not None:
        return title, "discussions.post_permalink", {"post_id": notification.post_id}
    if lesson is not None:
        return title, "lessons.lesson_detail", {"lesson_id": lesson.id, "slug": lesson.slug}
    return title, "discussions.thread_page", {"thread_id": thread.id, "slug": thread.slug}


def target_of(session: Session, notification: Notification) -> str | None:
    """Where opening the notification leads; None when its member may no longer see it."""
    targets = visibility.check(session, [notification])
    if notification.id not in targets.visible:
        return None
    return _describe(notification, targets)[1]


# --- watches ------------------------------------------------------------------------------------
@dataclass
class WatchedItem:
    watch: Watch
    label: str
    url: str | None


def watched_items(session: Session, user) -> list[WatchedItem]:
    """Everything the member chose a level for, by kind, with names and addresses (items the
    member can no longer see keep their row but show no link)."""
    watches = list(
        session.exec(
            select(Watch)
            .where(Watch.user_id == user.id)
            .order_by(Watch.target_type, Watch.created_at, Watch.id)
        )
    )
    keys: dict[str, list[int]] = {}
    for watch in watches:
        if watch.target_type != "search" and whole_number(watch.target_key) is not None:
            keys.setdefault(watch.target_type, []).append(whole_number(watch.target_key))
    loaded = {kind: _load(session, kind, ids) for kind, ids in keys.items() if ids}
    items = []
    for watch in watches:
        item = loaded.get(watch.target_type, {}).get(whole_number(watch.target_key))
        label, url = _watched_label(watch, item, user)
        items.append(WatchedItem(watch, label, url))
    return items


_MODELS = {"thread": Thread, "lesson": Lesson, "project": Project, "theme": Theme}


def _load(session: Session, kind: str, ids: list[int]) -> dict:
    if kind == "goal":
        return {g.number: g for g in session.exec(select(Goal).where(Goal.number.in_(ids)))}
    model = _MODELS.get(kind)
    if model is None:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(ids)))}


def _watched_label(watch: Watch, item, user) -> tuple[str, str | None]:
    kind = watch.target_type
    if kind == "search":
        args = args_of(watch.target_key)
        words = args.get("q", "")
        return words, url_for("search.search_page", **args.to_dict(flat=False))
    if item is None:
        return "", None
    if kind == "thread":
        if not permissions.can_view_thread(user, item):
            return "", None
        return item.title, url_for("discussions.thread_page", thread_id=item.id, slug=item.slug)
    if kind == "lesson":
        if not permissions.can_view_lesson(user, item) or permissions.is_hidden_for(user, item):
            return "", None
        return item.title, url_for("lessons.lesson_detail", lesson_id=item.id, slug=item.slug)
    if kind == "project":
        if permissions.is_hidden_for(user, item):
            return "", None
        return item.name, url_for("projects.project_detail", slug=item.slug)
    if kind == "theme":
        return localized(item, "name"), url_for("discussions.theme_page", slug=item.slug)
    return f"{item.number}. {localized(item, 'name')}", url_for(
        "lessons.lesson_list", sdg=item.number
    )
