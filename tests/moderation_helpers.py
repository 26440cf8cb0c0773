"""Builders shared by the moderation tests: threads with replies, through the discussions services."""
from __future__ import annotations

from sqlmodel import Session, select

from forum.core.models import Theme
from forum.discussions import service as discussions
from forum.discussions.models import Post, Thread
from tests.factories import make_user


def themes(session: Session) -> list[Theme]:
    return list(session.exec(select(Theme).order_by(Theme.position)))


def make_thread(session: Session, author=None, *, replies: int = 0, title: str = "Solceller på skolans tak",
                theme: Theme | None = None, repliers=None) -> tuple[Thread, list[Post]]:
    """A thread with ``replies`` replies, committed. Returns the thread and all its posts, oldest first."""
    author = author or make_user(session)
    thread = discussions.create_thread(
        session=session, actor=author, theme=theme or themes(session)[0], title=title,
        body="Hur fick ni bygglov för solcellerna?", language="sv",
    )
    for n in range(replies):
        replier = (repliers or [None])[n % len(repliers or [None])] or make_user(session)
        discussions.reply(session=session, actor=replier, thread=thread, body=f"Svar nummer {n + 1} om solceller")
    session.commit()
    posts = list(session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)))
    return thread, posts
