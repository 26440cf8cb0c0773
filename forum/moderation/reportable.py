"""What can be reported: posts, lessons and projects, looked up by (type, id); and barriers, the
accessibility problems visitors report about the site itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlmodel import Session, select

from ..discussions.models import Post, Thread
from ..lessons.models import Lesson
from ..markup import plain_text
from ..projects.models import Project
from ..web.inputs import is_safe_redirect
from .models import BarrierReport

MEMBER_REPORTABLE = ("post", "lesson", "project")  # what a member's report form points at
ITEM_TYPES = (*MEMBER_REPORTABLE, "barrier")  # what the queue holds


@dataclass
class ItemRef:
    """A reportable item seen from moderation: enough to show it in context and act on it."""

    type: str
    id: int
    obj: Any
    author_id: int | None
    title: str
    excerpt: str
    hidden: bool = False
    thread: Thread | None = None
    language: str | None = None  # of the excerpt (sv/en); None when unknown (projects)
    title_language: str | None = None

    @property
    def url(self) -> str:
        """Where the item is read (a post within its thread)."""
        if self.type == "lesson":
            return url_for("lessons.lesson_detail", lesson_id=self.id)
        if self.type == "project":
            return url_for("projects.project_detail", slug=self.obj.slug)
        if self.type == "barrier":
            return barrier_page_path(self.obj.page) or url_for("site.accessibility")
        if self.thread is None:
            return ""
        return url_for(
            "discussions.thread_page",
            thread_id=self.thread.id,
            slug=self.thread.slug,
            _anchor=f"post-{self.id}",
        )


def _post_ref(post: Post, thread: Thread | None) -> ItemRef:
    return ItemRef(
        type="post",
        id=post.id,
        obj=post,
        author_id=post.author_id,
        title=thread.title if thread else "",
        excerpt=plain_text(post.body, 400),
        hidden=post.hidden_at is not None or post.deleted_at is not None,
        thread=thread,
        language=post.language,
        title_language=thread.language if thread else None,
    )


def _lesson_ref(lesson: Lesson) -> ItemRef:
    return ItemRef(
        type="lesson",
        id=lesson.id,
        obj=lesson,
        author_id=lesson.author_id,
        title=lesson.title,
        excerpt=plain_text(lesson.context, 400),
        hidden=not lesson.is_public,
        language=lesson.language,
        title_language=lesson.language,
    )


def _project_ref(project: Project) -> ItemRef:
    return ItemRef(
        type="project",
        id=project.id,
        obj=project,
        author_id=project.creator_id,
        title=project.name,
        excerpt=plain_text(project.summary, 400),
        hidden=project.hidden_at is not None,
    )


def barrier_page_path(page: str) -> str | None:
    """The forum's own page a barrier report names, as a link; None for anything else."""
    page = (page or "").strip()
    server = current_app.config["SERVER_URL"].rstrip("/")
    if page.startswith(server + "/"):
        page = page[len(server) :]
    return page if is_safe_redirect(page) else None


def _barrier_ref(barrier: BarrierReport) -> ItemRef:
    return ItemRef(
        type="barrier",
        id=barrier.id,
        obj=barrier,
        author_id=None,
        title=barrier.page or _("(no page named)"),
        excerpt=barrier.description,
    )


def _by_id(session: Session, model, ids) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(ids)))}


def load_items(session: Session, keys) -> dict[tuple[str, int], ItemRef]:
    """The items named by ``keys`` ((type, id) pairs) that exist, keyed the same way: one query
    per kind of item whatever their number (a page lists many)."""
    wanted: dict[str, set[int]] = {item_type: set() for item_type in ITEM_TYPES}
    for item_type, item_id in keys:
        if item_type in wanted:
            wanted[item_type].add(item_id)
    posts = _by_id(session, Post, wanted["post"])
    threads = _by_id(session, Thread, {post.thread_id for post in posts.values()})
    found = {("post", i): _post_ref(p, threads.get(p.thread_id)) for i, p in posts.items()}
    for i, lesson in _by_id(session, Lesson, wanted["lesson"]).items():
        found["lesson", i] = _lesson_ref(lesson)
    for i, project in _by_id(session, Project, wanted["project"]).items():
        found["project", i] = _project_ref(project)
    for i, barrier in _by_id(session, BarrierReport, wanted["barrier"]).items():
        found["barrier", i] = _barrier_ref(barrier)
    return found


def load_item(session: Session, item_type: str, item_id: int) -> ItemRef | None:
    return load_items(session, [(item_type, item_id)]).get((item_type, item_id))
