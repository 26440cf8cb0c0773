"""GDPR: "Download my data" and "Delete my account".

``export_data`` collects the profile and everything the person wrote. Each kind of content is one
entry of ``EXPORT_SECTIONS`` (name -> function(session, user) -> list of dicts): an area that adds
user-written content (projects, lessons, reports...) adds its own section there.

``delete_account`` anonymises the account in place: the e-mail address, password hash,
organisation and biography are removed, the name is replaced and every session ends. The row
stays, so posts keep their author id and show "deleted user".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, select

from ..discussions.models import Post, Reaction, Thread
from ..i18n import utcnow
from ..lessons.models import Lesson
from ..projects.models import Project
from . import passwords
from .models import Role, User

DELETED_NAME = "deleted user"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _profile(user: User) -> dict:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "organisation": user.organisation,
        "actor_type": user.actor_type.value,
        "bio": user.bio,
        "locale": user.locale,
        "role": user.role.value,
        "created_at": _iso(user.created_at),
        "confirmed_at": _iso(user.confirmed_at),
    }


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
            "created_at": _iso(t.created_at),
            "url": f"/threads/{t.id}-{t.slug}",
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
            "created_at": _iso(post.created_at),
            "edited_at": _iso(post.edited_at),
            "deleted_at": _iso(post.deleted_at),
        }
        for post, title in rows
    ]


def _reactions(session: Session, user: User) -> list[dict]:
    reactions = session.exec(
        select(Reaction).where(Reaction.user_id == user.id).order_by(Reaction.id)
    ).all()
    return [
        {"post_id": r.post_id, "kind": r.kind, "created_at": _iso(r.created_at)} for r in reactions
    ]


_LESSON_TEXTS = (
    "context",
    "what_was_done",
    "results",
    "what_worked",
    "what_did_not_work",
    "advice",
    "links",
)


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
            "created_at": _iso(lesson.created_at),
            "published_at": _iso(lesson.published_at),
            "url": f"/lessons/{lesson.id}-{lesson.slug}",
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
            "created_at": _iso(p.created_at),
            "url": f"/projects/{p.slug}",
        }
        for p in projects
    ]


EXPORT_SECTIONS: dict[str, Callable[[Session, User], list[dict]]] = {
    "threads": _threads,
    "posts": _posts,
    "reactions": _reactions,
    "lessons": _lessons,
    "projects_created": _projects,
}


def export_data(*, session: Session, actor: User) -> dict:
    """Everything about ``actor`` as JSON-ready data."""
    data: dict = {
        "format": "tillsammans-forum-export/1",
        "exported_at": _iso(utcnow()),
        "profile": _profile(actor),
    }
    for name, collect in EXPORT_SECTIONS.items():
        data[name] = collect(session, actor)
    return data


def delete_account(*, session: Session, actor: User, password: str) -> User:
    """Remove the person from the account after checking their password (GDPR erasure)."""
    from .service import WrongPassword, new_session_token

    if not passwords.verify_password(actor.password_hash, password):
        raise WrongPassword()
    actor.email = None
    actor.password_hash = None
    actor.display_name = DELETED_NAME
    actor.organisation = None
    actor.bio = ""
    actor.bio_html = ""
    actor.suspended_until = None
    actor.role = Role.member
    actor.deleted_at = utcnow()
    actor.session_token = new_session_token()
    session.flush()
    return actor
