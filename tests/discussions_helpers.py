"""Builders for discussion tests (threads with posts) on top of tests.factories."""

from __future__ import annotations

from sqlmodel import Session, select

from forum.core.models import Theme
from forum.discussions import service


def a_theme(session: Session, position: int = 1) -> Theme:
    return session.exec(select(Theme).where(Theme.position == position)).one()


def a_thread(
    session: Session,
    author,
    *,
    title="Dagvatten i Västra Hamnen",
    body="Hur hanterar ni skyfall och dagvatten?",
    theme=None,
    goal_ids=(),
    language=None,
    replies=(),
):
    thread = service.create_thread(
        session=session,
        actor=author,
        theme=theme or a_theme(session),
        title=title,
        body=body,
        language=language,
        goal_ids=goal_ids,
    )
    for replier, text in replies:
        service.reply(session=session, actor=replier, thread=thread, body=text)
    session.commit()
    return thread
