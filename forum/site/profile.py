"""What a member's public profile lists: their latest visible threads, posts and lessons."""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.contributions import profile_page
from ..accounts.models import User
from ..discussions.models import Post, Thread
from ..lessons.models import Lesson, LessonStatus

PROFILE_ITEMS = 20


@profile_page.provide
def discussions_of(*, session: Session, user: User) -> dict:
    """Threads and replies nobody has hidden or deleted, newest first."""
    threads = session.exec(
        select(Thread)
        .where(Thread.author_id == user.id, Thread.hidden_at.is_(None), Thread.kind == "discussion")
        .order_by(Thread.created_at.desc())
        .limit(PROFILE_ITEMS)
    ).all()
    posts = session.exec(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.author_id == user.id,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
            Thread.hidden_at.is_(None),
        )
        .order_by(Post.created_at.desc())
        .limit(PROFILE_ITEMS)
    ).all()
    return {"threads": threads, "posts": posts}


@profile_page.provide
def lessons_of(*, session: Session, user: User) -> dict:
    """Published lessons nobody has hidden, newest first."""
    lessons = session.exec(
        select(Lesson)
        .where(
            Lesson.author_id == user.id,
            Lesson.status == LessonStatus.published,
            Lesson.hidden_at.is_(None),
        )
        .order_by(Lesson.published_at.desc())
        .limit(PROFILE_ITEMS)
    ).all()
    return {"lessons": lessons}
