"""May the member still see what a notification is about? Asked whenever one is shown, and by
anything that mails them later.

The rules are the pages' own (``forum.permissions``): a thread its reader may view
(``can_view_thread``), a post neither deleted nor hidden (moderators see hidden ones, as on the
thread page), a lesson published and not hidden (``can_view_lesson``, ``is_hidden_for``; a
lesson's discussion follows its lesson), and a moderator's work only while the member still
moderates. Posts are followed to the thread they are in now, so a post moved by a merge or a split
is judged where it lives.

``check`` answers for any batch, of one member or of many, in at most four statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..discussions.models import Post, Thread
from ..lessons.models import Lesson
from .models import Notification
from .service import KIND_APPROVAL, KIND_REPORT


@dataclass
class Targets:
    """What a batch of notifications is about, loaded once, and which of them may be shown."""

    visible: set[int] = field(default_factory=set)
    posts: dict[int, Post] = field(default_factory=dict)
    threads: dict[int, Thread] = field(default_factory=dict)
    lessons: dict[int, Lesson] = field(default_factory=dict)
    lesson_of_thread: dict[int, Lesson] = field(default_factory=dict)

    def thread_of(self, notification: Notification) -> Thread | None:
        post = self.posts.get(notification.post_id) if notification.post_id else None
        thread_id = post.thread_id if post is not None else notification.thread_id
        return self.threads.get(thread_id) if thread_id else None

    def lesson_of(self, notification: Notification) -> Lesson | None:
        if notification.lesson_id:
            return self.lessons.get(notification.lesson_id)
        thread = self.thread_of(notification)
        return self.lesson_of_thread.get(thread.id) if thread is not None else None


def _ids(values) -> list[int]:
    return sorted({v for v in values if v is not None})


def load_targets(session: Session, notifications: list[Notification]) -> Targets:
    targets = Targets()
    post_ids = _ids(n.post_id for n in notifications)
    if post_ids:
        targets.posts = {p.id: p for p in session.exec(select(Post).where(Post.id.in_(post_ids)))}
    thread_ids = _ids(
        [n.thread_id for n in notifications] + [p.thread_id for p in targets.posts.values()]
    )
    if thread_ids:
        targets.threads = {
            t.id: t for t in session.exec(select(Thread).where(Thread.id.in_(thread_ids)))
        }
    lesson_ids = _ids(n.lesson_id for n in notifications)
    lesson_threads = [t.id for t in targets.threads.values() if t.kind == "lesson"]
    if lesson_ids or lesson_threads:
        for lesson in session.exec(
            select(Lesson).where(
                or_(Lesson.id.in_(lesson_ids), Lesson.thread_id.in_(lesson_threads))
            )
        ):
            targets.lessons[lesson.id] = lesson
            if lesson.thread_id is not None:
                targets.lesson_of_thread[lesson.thread_id] = lesson
    return targets


def _lesson_visible(user, lesson: Lesson | None) -> bool:
    return permissions.can_view_lesson(user, lesson) and not permissions.is_hidden_for(user, lesson)


def may_see(user, notification: Notification, targets: Targets) -> bool:
    if user is None or not getattr(user, "is_active", False):
        return False
    if notification.kind in (KIND_REPORT, KIND_APPROVAL):
        return permissions.can_moderate(user)
    if notification.post_id is not None:
        post = targets.posts.get(notification.post_id)
        if post is None or post.deleted_at is not None:
            return False
        if not permissions.can_view_hidden_post(user, post):
            return False
    thread = targets.thread_of(notification)
    if notification.post_id is not None or notification.kind == "new_thread":
        if thread is None or not permissions.can_view_thread(user, thread):
            return False
        if thread.kind == "lesson" and not _lesson_visible(user, targets.lesson_of(notification)):
            return False
    if notification.lesson_id is not None:
        return _lesson_visible(user, targets.lessons.get(notification.lesson_id))
    return thread is not None or notification.post_id is not None


def check(
    session: Session, notifications: list[Notification], users: dict[int, User] | None = None
) -> Targets:
    """``Targets`` of the batch with ``visible`` = the ids of the notifications their members may
    still see. ``users`` (by id) spares loading the members when the caller has them."""
    targets = load_targets(session, notifications)
    if users is None:
        wanted = _ids(n.user_id for n in notifications)
        users = (
            {u.id: u for u in session.exec(select(User).where(User.id.in_(wanted)))}
            if wanted
            else {}
        )
    targets.visible = {n.id for n in notifications if may_see(users.get(n.user_id), n, targets)}
    return targets


def visible_ids(session: Session, notifications: list[Notification]) -> set[int]:
    """The ids of the notifications (of any members) that may still be shown or mailed."""
    return check(session, notifications).visible
