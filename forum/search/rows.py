"""The search page's result rows, reloaded from the database: title, link, language, date,
author, theme, project and the text snippets are cut from, for each type the search area loads
itself (higher areas give their ``Provider.load``)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func
from sqlmodel import Session, select

from ..accounts.models import User
from ..accounts.urls import profile_path
from ..discussions.models import Post, Thread
from .documents import public_text


def _names(session: Session, ids) -> dict[int, tuple[str, str | None]]:
    """Each author's name and profile address (None for a deleted account)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    users = session.exec(select(User).where(User.id.in_(ids))).all()
    return {user.id: (user.display_name, profile_path(user)) for user in users}


def _author(names: dict, author_id: int | None) -> dict:
    name, path = names.get(author_id, (None, None))
    return {"author": name, "author_url": path}


def _projects_by_id(session: Session, ids) -> dict[int, object]:
    from ..projects.models import Project

    ids = {i for i in ids if i}
    return (
        {p.id: p for p in session.exec(select(Project).where(Project.id.in_(ids))).all()}
        if ids
        else {}
    )


def thread_url(thread: Thread, **params) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug, **params)


def _load_threads(session: Session, ids: list[int]) -> dict[str, dict]:
    threads = session.exec(select(Thread).where(Thread.id.in_(ids))).all()
    first_ids = session.exec(
        select(func.min(Post.id)).where(Post.thread_id.in_(ids)).group_by(Post.thread_id)
    ).all()
    firsts = {
        p.thread_id: p for p in session.exec(select(Post).where(Post.id.in_(first_ids))).all()
    }
    names = _names(session, [t.author_id for t in threads])
    projects = _projects_by_id(session, [getattr(t, "project_id", None) for t in threads])
    out = {}
    for t in threads:
        first = firsts.get(t.id)
        out[f"thread:{t.id}"] = dict(
            kind="thread",
            title=t.title,
            url=thread_url(t),
            lang=t.language,
            created=t.created_at,
            **_author(names, t.author_id),
            theme_id=t.theme_id,
            project=projects.get(getattr(t, "project_id", None)),
            text=public_text(first.body_html) if first is not None and first.is_visible else "",
            thread_id=t.id,
        )
    return out


def _load_posts(session: Session, ids: list[int]) -> dict[str, dict]:
    rows = session.exec(
        select(Post, Thread).join(Thread, Thread.id == Post.thread_id).where(Post.id.in_(ids))
    ).all()
    names = _names(session, [p.author_id for p, _ in rows])
    projects = _projects_by_id(session, [getattr(t, "project_id", None) for _, t in rows])
    return {
        f"post:{p.id}": dict(
            kind="post",
            title=t.title,
            url=thread_url(t, _anchor=f"post-{p.id}"),
            lang=p.language,
            created=p.created_at,
            **_author(names, p.author_id),
            theme_id=t.theme_id,
            project=projects.get(getattr(t, "project_id", None)),
            text=public_text(p.body_html),
            thread_id=t.id,
        )
        for p, t in rows
    }


def _load_lessons(session: Session, ids: list[int]) -> dict[str, dict]:
    from ..lessons.models import LESSON_SECTIONS, Lesson

    lessons = session.exec(select(Lesson).where(Lesson.id.in_(ids))).all()
    names = _names(session, [lesson.author_id for lesson in lessons])
    projects = _projects_by_id(session, [lesson.project_id for lesson in lessons])
    return {
        f"lesson:{lesson.id}": dict(
            kind="lesson",
            title=lesson.title,
            url=url_for("lessons.lesson_detail", lesson_id=lesson.id),
            lang=lesson.language,
            created=lesson.published_at or lesson.created_at,
            **_author(names, lesson.author_id),
            theme_id=lesson.theme_id,
            project=projects.get(lesson.project_id),
            text=" ".join(public_text(getattr(lesson, f"{s}_html")) for s in LESSON_SECTIONS),
        )
        for lesson in lessons
    }


def _load_projects(session: Session, ids: list[int]) -> dict[str, dict]:
    from ..projects.models import Project, ProjectTheme

    projects = session.exec(select(Project).where(Project.id.in_(ids))).all()
    themes = dict(
        session.exec(
            select(ProjectTheme.project_id, ProjectTheme.theme_id).where(
                ProjectTheme.project_id.in_(ids)
            )
        ).all()
    )
    return {
        f"project:{p.id}": dict(
            kind="project",
            title=p.name,
            url=url_for("projects.project_detail", slug=p.slug),
            lang="sv",
            created=p.created_at,
            theme_id=themes.get(p.id),
            project=None,
            text=" ".join(
                x for x in (p.district, p.municipality, public_text(p.summary_html)) if x
            ),
        )
        for p in projects
    }


LOADERS = {
    "thread": _load_threads,
    "post": _load_posts,
    "lesson": _load_lessons,
    "project": _load_projects,
}
