"""Who is told about what: one function per trigger, called by the receivers of ``receivers``.

Each reads the watches of the items concerned in one statement and writes the notifications
(never to the actor). Whether the member may see the content is decided when a notification is
shown or mailed (``visibility``), so nothing here needs the reader's rights.
"""

from __future__ import annotations

import re

from sqlalchemy import or_
from sqlmodel import Session, select

from ..accounts.models import Role, User, not_suspended
from ..core.queries import goals_linked
from ..discussions.models import Post, Thread, ThreadGoal
from ..lessons.models import Lesson, LessonGoal
from . import service
from .models import Notification, Watch
from .service import (
    KIND_FEATURED,
    KIND_MENTION,
    KIND_NEW_LESSON,
    KIND_NEW_THREAD,
    KIND_REPLY,
    KIND_SOLUTION,
    MUTED,
    TRACKING,
    WATCHING,
)

# A quote written by the quote button links the quoted post: "([#12](/posts/12))".
_QUOTED_POST = re.compile(r"\]\(/posts/(\d+)\)")


def _watches(session: Session, targets: list[tuple[str, str]]) -> list[Watch]:
    if not targets:
        return []
    return list(
        session.exec(
            select(Watch).where(
                or_(
                    *(
                        (Watch.target_type == kind) & (Watch.target_key == key)
                        for kind, key in targets
                    )
                )
            )
        )
    )


def _levels_by_user(watches: list[Watch], order: list[tuple[str, str]]) -> dict[int, Watch]:
    """Each member's watch on the most specific target (earlier in ``order`` wins)."""
    rank = {target: n for n, target in enumerate(order)}
    chosen: dict[int, Watch] = {}
    for watch in sorted(watches, key=lambda w: rank[(w.target_type, w.target_key)]):
        chosen.setdefault(watch.user_id, watch)
    return chosen


def _lesson_of_thread(session: Session, thread: Thread) -> Lesson | None:
    if thread.kind != "lesson":
        return None
    return session.exec(select(Lesson).where(Lesson.thread_id == thread.id)).first()


def _thread_targets(thread: Thread, lesson: Lesson | None) -> list[tuple[str, str]]:
    targets = [("thread", str(thread.id))]
    if lesson is not None:
        targets.append(("lesson", str(lesson.id)))
    return targets


def _replied_to(session: Session, post: Post, thread: Thread, lesson: Lesson | None) -> set[int]:
    """Whom a reply answers: the thread's (or lesson's) author and the authors of the posts of
    the same thread it quotes."""
    people = {thread.author_id, lesson.author_id if lesson else None}
    quoted = [int(n) for n in _QUOTED_POST.findall(post.body or "")][:20]
    if quoted:
        people.update(
            session.exec(
                select(Post.author_id).where(Post.id.in_(quoted), Post.thread_id == thread.id)
            ).all()
        )
    people.discard(None)
    return people


def reply_posted(
    *, session: Session, author_id: int | None, post: Post, thread: Thread, skip=frozenset()
) -> None:
    """A visible reply: members watching the thread (or the lesson it discusses) are told, and
    members tracking it when the reply answers them (``skip``: members told otherwise, by a
    mention)."""
    lesson = _lesson_of_thread(session, thread)
    targets = _thread_targets(thread, lesson)
    chosen = _levels_by_user(_watches(session, targets), targets)
    answered = _replied_to(session, post, thread, lesson)
    recipients = [
        user_id
        for user_id, watch in chosen.items()
        if user_id not in skip
        and (watch.level == WATCHING or (watch.level == TRACKING and user_id in answered))
    ]
    service.notify_many(
        session=session,
        user_ids=recipients,
        kind=KIND_REPLY,
        actor_id=author_id,
        thread_id=thread.id,
        post_id=post.id,
        lesson_id=lesson.id if lesson else None,
        reason={u: f"{chosen[u].target_type}:{chosen[u].target_key}" for u in recipients},
    )


def _new_item(
    session: Session, *, kind: str, author_id, targets, skip=frozenset(), **ids
) -> set[int]:
    """Members watching any of the containers (theme, project, goals) of a new thread or lesson,
    but those in ``skip``; returns who was told."""
    reasons: dict[int, str] = {}
    for watch in _watches(session, targets):
        if watch.level == WATCHING and watch.user_id not in skip:
            reasons.setdefault(watch.user_id, f"{watch.target_type}:{watch.target_key}")
    service.notify_many(
        session=session,
        user_ids=list(reasons),
        kind=kind,
        actor_id=author_id,
        reason=reasons,
        **ids,
    )
    return set(reasons)


def _goal_targets(session: Session, link, column, item_id: int) -> list[tuple[str, str]]:
    return [("goal", str(goal.number)) for goal in goals_linked(session, link, column, item_id)]


def thread_started(
    *, session: Session, author_id: int | None, thread: Thread, skip=frozenset()
) -> None:
    targets = [("theme", str(thread.theme_id))]
    if thread.project_id is not None:
        targets.append(("project", str(thread.project_id)))
    targets += _goal_targets(session, ThreadGoal, ThreadGoal.thread_id, thread.id)
    _new_item(
        session,
        kind=KIND_NEW_THREAD,
        author_id=author_id,
        targets=targets,
        skip=skip,
        thread_id=thread.id,
    )


def lesson_published(*, session: Session, author_id: int | None, lesson: Lesson) -> None:
    targets = [("theme", str(lesson.theme_id)), ("project", str(lesson.project_id))]
    targets += _goal_targets(session, LessonGoal, LessonGoal.lesson_id, lesson.id)
    _new_item(
        session,
        kind=KIND_NEW_LESSON,
        author_id=author_id,
        targets=targets,
        lesson_id=lesson.id,
        thread_id=lesson.thread_id,
    )


def saved_searches_matched(
    *, session: Session, entity: str, entity_id: int, author_id, queries: list[str]
) -> None:
    """A new thread or lesson matched these saved searches: their watchers are told, unless a
    theme, project or goal they watch already told them about it."""
    if not queries:
        return
    rows = session.exec(
        select(Watch.user_id, Watch.target_key).where(
            Watch.target_type == "search", Watch.target_key.in_(queries), Watch.level == WATCHING
        )
    ).all()
    kind = KIND_NEW_THREAD if entity == "thread" else KIND_NEW_LESSON
    ids = {"thread_id": entity_id} if entity == "thread" else {"lesson_id": entity_id}
    group = service.default_group(kind, ids.get("thread_id"), None, ids.get("lesson_id"))
    told = set(
        session.exec(
            select(Notification.user_id).where(
                Notification.group_key == group,
                Notification.user_id.in_([user_id for user_id, _ in rows]),
            )
        ).all()
    )
    reasons: dict[int, str] = {}
    for user_id, key in rows:
        if user_id not in told:
            reasons.setdefault(user_id, f"search:{key}")
    service.notify_many(
        session=session,
        user_ids=list(reasons),
        kind=kind,
        actor_id=author_id,
        reason=reasons,
        group_key=group,
        **ids,
    )


def mentioned(*, session: Session, actor_id: int | None, post: Post, user_ids) -> None:
    """Members named in ``post`` (``@handle``) are told, unless they muted its thread or
    lesson."""
    thread = session.get(Thread, post.thread_id)
    lesson = _lesson_of_thread(session, thread)
    targets = _thread_targets(thread, lesson)
    chosen = _levels_by_user(_watches(session, targets), targets)
    service.notify_many(
        session=session,
        user_ids=[u for u in user_ids if u not in chosen or chosen[u].level != MUTED],
        kind=KIND_MENTION,
        actor_id=actor_id,
        thread_id=thread.id,
        post_id=post.id,
        lesson_id=lesson.id if lesson else None,
    )


def solution_marked(*, session: Session, actor_id, post: Post, thread: Thread) -> None:
    service.notify(
        session=session,
        user_id=post.author_id,
        kind=KIND_SOLUTION,
        actor_id=actor_id,
        thread_id=thread.id,
        post_id=post.id,
    )


def lesson_featured(*, session: Session, actor_id, lesson: Lesson) -> None:
    service.notify(
        session=session,
        user_id=lesson.author_id,
        kind=KIND_FEATURED,
        actor_id=actor_id,
        lesson_id=lesson.id,
        thread_id=lesson.thread_id,
    )


def moderator_ids(session: Session) -> list[int]:
    """Moderators and admins whose accounts are active and not suspended."""
    return list(
        session.exec(
            select(User.id).where(
                User.role.in_([Role.moderator, Role.admin]),
                User.deleted_at.is_(None),
                not_suspended(),
            )
        ).all()
    )


def for_moderators(session: Session, *, kind: str, actor_id, **ids) -> None:
    """A report or a waiting post: every active moderator is told."""
    service.notify_many(
        session=session, user_ids=moderator_ids(session), kind=kind, actor_id=actor_id, **ids
    )
