"""What can be reported: posts, lessons and projects, looked up by (type, id)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ..discussions.models import Post, Thread
from ..markup import plain_text

ITEM_TYPES = ("post", "lesson", "project")


@dataclass
class ItemRef:
    """A reportable item seen from moderation: enough to show it in context and act on it."""

    type: str
    id: int
    obj: Any
    author_id: int | None
    title: str
    url: str
    excerpt: str
    hidden: bool = False
    thread: Thread | None = None
    language: str | None = None  # of the excerpt (sv/en); None when unknown (projects)
    title_language: str | None = None


def thread_url(thread: Thread) -> str:
    return f"/threads/{thread.id}-{thread.slug}"


def _post(session: Session, item_id: int) -> ItemRef | None:
    post = session.get(Post, item_id)
    if post is None:
        return None
    thread = session.get(Thread, post.thread_id)
    return ItemRef(
        type="post",
        id=post.id,
        obj=post,
        author_id=post.author_id,
        title=thread.title if thread else "",
        url=f"{thread_url(thread)}#post-{post.id}" if thread else "",
        excerpt=plain_text(post.body, 400),
        hidden=post.hidden_at is not None or post.deleted_at is not None,
        thread=thread,
        language=post.language,
        title_language=thread.language if thread else None,
    )


def _lesson(session: Session, item_id: int) -> ItemRef | None:
    from ..lessons.models import Lesson

    lesson = session.get(Lesson, item_id)
    if lesson is None:
        return None
    return ItemRef(
        type="lesson",
        id=lesson.id,
        obj=lesson,
        author_id=lesson.author_id,
        title=lesson.title,
        url=f"/lessons/{lesson.id}",
        excerpt=plain_text(lesson.context, 400),
        hidden=not lesson.is_public,
        language=lesson.language,
        title_language=lesson.language,
    )


def _project(session: Session, item_id: int) -> ItemRef | None:
    from ..projects.models import Project

    project = session.get(Project, item_id)
    if project is None:
        return None
    return ItemRef(
        type="project",
        id=project.id,
        obj=project,
        author_id=project.creator_id,
        title=project.name,
        url=f"/projects/{project.slug}",
        excerpt=plain_text(project.summary, 400),
        hidden=project.hidden_at is not None,
    )


_LOADERS = {"post": _post, "lesson": _lesson, "project": _project}


def load_item(session: Session, item_type: str, item_id: int) -> ItemRef | None:
    loader = _LOADERS.get(item_type)
    return loader(session, item_id) if loader else None
