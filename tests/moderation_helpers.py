"""Builders shared by the moderation tests: threads with replies, through the discussions
services."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from forum.core.models import Theme
from forum.discussions import service as discussions
from forum.discussions.models import Post, Thread
from forum.moderation.models import ModerationAction
from tests.factories import make_user


def themes(session: Session) -> list[Theme]:
    return list(session.exec(select(Theme).order_by(Theme.position)))


def make_thread(
    session: Session,
    author=None,
    *,
    replies: int = 0,
    title: str = "Solceller på skolans tak",
    theme: Theme | None = None,
    repliers=None,
) -> tuple[Thread, list[Post]]:
    """A thread with ``replies`` replies, committed. Returns the thread and all its posts, oldest
    first."""
    author = author or make_user(session)
    thread = discussions.create_thread(
        session=session,
        actor=author,
        theme=theme or themes(session)[0],
        title=title,
        body="Hur fick ni bygglov för solcellerna?",
        language="sv",
    )
    for n in range(replies):
        replier = (repliers or [None])[n % len(repliers or [None])] or make_user(session)
        discussions.reply(
            session=session, actor=replier, thread=thread, body=f"Svar nummer {n + 1} om solceller"
        )
    session.commit()
    posts = list(session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)))
    return thread, posts


def make_project_with_lesson(session: Session, author=None, *, name: str = "Solparken i Lund"):
    """A project and one published lesson of it (by ``author``), committed. Needs a request
    context."""
    from forum.core.models import Goal
    from forum.lessons import service as lesson_service
    from forum.projects import service as project_service

    author = author or make_user(session)
    theme = themes(session)[0]
    goal = session.exec(select(Goal).where(Goal.number == 7)).one()
    project = project_service.create_project(
        session=session,
        actor=author,
        data=project_service.ProjectInput(
            name=name,
            municipality="Lund",
            district="Brunnshög",
            status="ongoing",
            theme_ids=[theme.id],
            goal_ids=[goal.id],
            partners=[],
            summary="En solpark på kommunens mark.",
        ),
    )
    lesson = lesson_service.create_lesson(
        session=session,
        actor=author,
        publish=True,
        data=lesson_service.LessonInput(
            project_id=project.id,
            title="Solpark med andelsägande",
            lesson_type="financing_model",
            theme_id=theme.id,
            language="sv",
            context="Invånarna ville äga energin.",
            what_was_done="Andelar såldes till invånarna.",
            advice="Börja med en liten första etapp.",
            goal_ids=[goal.id],
            outcomes=[],
        ),
    )
    session.commit()
    return project, lesson


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ModerationAction)).one()
