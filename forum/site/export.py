"""The sections of "Download my data" beyond the profile: everything the person wrote.

The providers register in the order the sections appear in the file: threads, posts, reactions,
lessons, created projects.
"""

from __future__ import annotations

from flask import url_for
from sqlmodel import Session, select

from ..accounts.contributions import data_export
from ..accounts.models import User
from ..accounts.privacy import iso_moment
from ..discussions.models import Post, Reaction, Thread
from ..lessons.models import LESSON_SECTIONS, Lesson
from ..projects.models import Project

_LESSON_TEXTS = (*LESSON_SECTIONS, "links")


@data_export.provide
def discussions_of(*, session: Session, user: User) -> dict:
    return {
        "threads": _threads(session, user),
        "posts": _posts(session, user),
        "reactions": _reactions(session, user),
    }


@data_export.provide
def projects_of(*, session: Session, user: User) -> dict:
    return {"lessons": _lessons(session, user), "projects_created": _projects(session, user)}


def _threads(session: Session, user: User) -> list[dict]:
    threads = session.exec(
        select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)
    ).all()
    return [
        {
            "id": t.id,
            "kind": t.kind,
            "title": t.title,
            "language": t.language,
            "created_at": iso_moment(t.created_at),
            "url": url_for("discussions.thread_page", thread_id=t.id, slug=t.slug),
        }
        for t in threads
    ]


def _posts(session: Session, user: User) -> list[dict]:
    rows = session.exec(
        select(Post, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id)
        .order_by(Post.id)
    ).all()
    return [
        {
            "id": post.id,
            "thread_id": post.thread_id,
            "thread_title": title,
            "body": post.body,
            "language": post.language,
            "created_at": iso_moment(post.created_at),
            "edited_at": iso_moment(post.edited_at),
            "deleted_at": iso_moment(post.deleted_at),
        }
        for post, title in rows
    ]


def _reactions(session: Session, user: User) -> list[dict]:
    reactions = session.exec(
        select(Reaction).where(Reaction.user_id == user.id).order_by(Reaction.id)
    ).all()
    return [
        {"post_id": r.post_id, "kind": r.kind, "created_at": iso_moment(r.created_at)}
        for r in reactions
    ]


def _lessons(session: Session, user: User) -> list[dict]:
    lessons = session.exec(
        select(Lesson).where(Lesson.author_id == user.id).order_by(Lesson.id)
    ).all()
    return [
        {
            "id": lesson.id,
            "project_id": lesson.project_id,
            "title": lesson.title,
            "lesson_type": getattr(lesson.lesson_type, "value", lesson.lesson_type),
            "language": lesson.language,
            "status": getattr(lesson.status, "value", lesson.status),
            **{field: getattr(lesson, field) for field in _LESSON_TEXTS},
            "created_at": iso_moment(lesson.created_at),
            "published_at": iso_moment(lesson.published_at),
            "url": url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug),
        }
        for lesson in lessons
    ]


def _projects(session: Session, user: User) -> list[dict]:
    projects = session.exec(
        select(Project).where(Project.creator_id == user.id).order_by(Project.id)
    ).all()
    return [
        {
            "id": p.id,
            "name": p.name,
            "municipality": p.municipality,
            "summary": p.summary,
            "created_at": iso_moment(p.created_at),
            "url": url_for("projects.project_detail", slug=p.slug),
        }
        for p in projects
    ]
