"""Builders for search tests: threads and posts created straight through the models."""

from __future__ import annotations

from slugify import slugify
from sqlmodel import Session, select

from forum.core.models import Theme
from forum.discussions.models import Post, Thread
from forum.markup import render_markdown


def first_theme(session: Session) -> Theme:
    return session.exec(select(Theme).order_by(Theme.position)).first()


def make_thread(
    session: Session,
    author,
    title: str,
    body: str,
    *,
    language: str = "sv",
    theme: Theme | None = None,
    commit: bool = True,
    **fields,
) -> tuple[Thread, Post]:
    theme = theme or first_theme(session)
    thread = Thread(
        theme_id=theme.id,
        title=title,
        slug=slugify(title)[:200] or "trad",
        author_id=author.id if author else None,
        language=language,
        **fields,
    )
    session.add(thread)
    session.flush()
    post = Post(
        thread_id=thread.id,
        author_id=author.id if author else None,
        body=body,
        body_html=render_markdown(body),
        language=language,
    )
    session.add(post)
    session.flush()
    thread.post_count = 1
    thread.last_post_id = post.id
    if commit:
        session.commit()
    return thread, post


def make_reply(
    session: Session,
    thread: Thread,
    author,
    body: str,
    *,
    language: str = "sv",
    commit: bool = True,
) -> Post:
    post = Post(
        thread_id=thread.id,
        author_id=author.id if author else None,
        body=body,
        body_html=render_markdown(body),
        language=language,
    )
    session.add(post)
    thread.post_count += 1
    if commit:
        session.commit()
    return post
