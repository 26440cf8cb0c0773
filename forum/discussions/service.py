"""Discussion rules: threads, replies, edits with history, soft delete, useful marks, solutions.

Every function is keyword-only ``(*, session, actor, ...)``, owns its rules, raises the domain
errors of ``forum.domain`` and ``forum.discussions.errors`` and only ``flush``es: the view commits
once.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func
from sqlmodel import Session, select

from .. import events, permissions
from ..accounts.handles import mention_links, unlink_mentions
from ..clock import utcnow
from ..core import queries as core_queries
from ..core.models import Theme
from ..domain import DomainError, NotAllowed
from ..language import choose_language
from ..markup import MarkupTooComplex, render_markdown
from .errors import (
    DuplicateSubmission,
    InvalidContent,
    InvalidSolution,
    ThreadLocked,
)
from .models import Post, PostRevision, Reaction, Thread, ThreadGoal

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN, BODY_MAX = 1, 50_000
POSTS_PER_PAGE = 30
THREAD_KINDS = ("discussion", "lesson", "event")
USEFUL = "useful"


# --- helpers ------------------------------------------------------------------------------------
def thread_slug(title: str) -> str:
    return slugify(title, max_length=80, word_boundary=True) or "trad"


def _visible_length(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))


def clean_title(title: str | None, *, error: type[DomainError] = InvalidContent) -> str:
    """``title`` on one line; ``error`` when it is too short or too long (threads and lessons)."""
    title = " ".join((title or "").split())
    # invisible characters (zero-width spaces, direction marks, controls) would let an "a", four
    # zero-width spaces and a "b" pass the minimum: only what a reader sees counts
    if not (TITLE_MIN <= _visible_length(title) and len(title) <= TITLE_MAX):
        raise error(
            _l(
                "The title must be between %(min)d and %(max)d characters.",
                min=TITLE_MIN,
                max=TITLE_MAX,
            ),
            field="title",
        )
    return title


def _clean_body(body: str | None) -> str:
    body = (body or "").strip()
    if not BODY_MIN <= len(body) <= BODY_MAX:
        raise InvalidContent(
            _l(
                "The text must be between %(min)d and %(max)d characters.",
                min=BODY_MIN,
                max=BODY_MAX,
            ),
            field="body",
        )
    return body


def _body_html(session: Session, body: str) -> str:
    """The rendered body; a body over the rendering budget is refused like any invalid body."""
    try:
        return render_markdown(body, mentions=mention_links(session))
    except MarkupTooComplex as error:
        raise InvalidContent(error.message, field="body") from error


def find_submission(*, session: Session, submission_key: str | None) -> Post | None:
    """The post an earlier submit of the same form created, if any."""
    if not submission_key:
        return None
    return session.exec(select(Post).where(Post.submission_key == submission_key)).first()


def _earlier_submission(session: Session, actor, submission_key: str | None) -> Post | None:
    existing = find_submission(session=session, submission_key=submission_key)
    if existing is not None and existing.author_id != getattr(actor, "id", None):
        raise DuplicateSubmission()
    return existing


def first_post_id(*, session: Session, thread: Thread) -> int | None:
    return session.exec(select(func.min(Post.id)).where(Post.thread_id == thread.id)).one()


def is_first_post(*, session: Session, post: Post) -> bool:
    return (
        session.exec(select(func.min(Post.id)).where(Post.thread_id == post.thread_id)).one()
        == post.id
    )


def _visible(query):
    return query.where(Post.deleted_at.is_(None), Post.hidden_at.is_(None))


# --- threads and replies ------------------------------------------------------------------------
def create_thread(
    *,
    session: Session,
    actor,
    theme: Theme,
    title: str,
    body: str,
    language: str | None,
    goal_ids=(),
    kind: str = "discussion",
    project_id: int | None = None,
    submission_key: str | None = None,
) -> Thread:
    """Start a thread with its first post, about ``project_id`` if given (the form offers only
    existing projects). A repeated ``submission_key`` returns the earlier thread."""
    if not permissions.can_start_thread(actor):
        raise NotAllowed()
    existing = _earlier_submission(session, actor, submission_key)
    if existing is not None:
        return session.get(Thread, existing.thread_id)
    if theme is None or theme.id is None:
        raise InvalidContent(_l("Choose a theme."), field="theme")
    if kind not in THREAD_KINDS:
        raise InvalidContent()
    title, body = clean_title(title), _clean_body(body)
    body_html = _body_html(session, body)
    goal_ids = sorted({int(g) for g in goal_ids or ()})
    if core_queries.unknown_goal_ids(session, goal_ids):
        raise InvalidContent(_l("Choose goals from the list."), field="goals")
    lang = choose_language(f"{title}\n{body}", language)
    now = utcnow()
    thread = Thread(
        kind=kind,
        theme_id=theme.id,
        title=title,
        slug=thread_slug(title),
        author_id=actor.id,
        language=lang,
        project_id=project_id,
        created_at=now,
        last_post_at=now,
    )
    session.add(thread)
    session.flush()
    for goal_id in goal_ids:
        session.add(ThreadGoal(thread_id=thread.id, goal_id=goal_id))
    post = Post(
        thread_id=thread.id,
        author_id=actor.id,
        body=body,
        body_html=body_html,
        language=lang,
        created_at=now,
        submission_key=submission_key or None,
    )
    session.add(post)
    session.flush()
    thread.post_count, thread.last_post_id = 1, post.id
    session.flush()
    events.post_created.send(
        "discussions", session=session, actor=actor, post=post, thread=thread, first=True
    )
    return thread


def set_thread_goals(*, session: Session, thread: Thread, goal_ids) -> None:
    """Replace the SDGs of a thread (used when a lesson's goals change)."""
    wanted = {int(g) for g in goal_ids or ()}
    current = {
        tg.goal_id: tg
        for tg in session.exec(select(ThreadGoal).where(ThreadGoal.thread_id == thread.id))
    }
    for goal_id, link in current.items():
        if goal_id not in wanted:
            session.delete(link)
    for goal_id in wanted - set(current):
        session.add(ThreadGoal(thread_id=thread.id, goal_id=goal_id))
    session.flush()


def reply(
    *,
    session: Session,
    actor,
    thread: Thread,
    body: str,
    language: str | None = None,
    submission_key: str | None = None,
) -> Post:
    """Add a reply. Locked threads refuse; a repeated ``submission_key`` returns the earlier
    post."""
    existing = _earlier_submission(session, actor, submission_key)
    if existing is not None and existing.thread_id == thread.id:
        return existing
    if existing is not None:
        raise DuplicateSubmission()
    if thread.locked:
        raise ThreadLocked()
    if not permissions.can_reply(actor, thread):
        raise NotAllowed()
    body = _clean_body(body)
    body_html = _body_html(session, body)
    post = Post(
        thread_id=thread.id,
        author_id=actor.id,
        body=body,
        body_html=body_html,
        language=choose_language(body, language, thread.language),
        created_at=utcnow(),
        submission_key=submission_key or None,
    )
    session.add(post)
    session.flush()
    refresh_thread_counters(session=session, thread=thread)
    events.post_created.send(
        "discussions", session=session, actor=actor, post=post, thread=thread, first=False
    )
    return post


# --- edits and deletion -------------------------------------------------------------------------
def edit_post(
    *,
    session: Session,
    actor,
    post: Post,
    body: str,
    title: str | None = None,
    language: str | None = None,
) -> Post:
    """Change a post, keeping the earlier body (and thread title, for first posts) as a revision."""
    thread = session.get(Thread, post.thread_id)
    if not permissions.can_edit_post(actor, post, thread):
        if thread.locked and not permissions.can_moderate(actor):
            raise ThreadLocked(_l("This thread is locked: its posts can no longer be edited."))
        raise NotAllowed()
    body = _clean_body(body)
    first = is_first_post(session=session, post=post)
    new_title = clean_title(title) if first and title is not None else None
    lang = choose_language(body, language, post.language)
    title_changed = new_title is not None and new_title != thread.title
    if body == post.body and not title_changed and lang == post.language:
        return post
    session.add(
        PostRevision(
            post_id=post.id,
            body=post.body,
            title=thread.title if first else None,
            edited_by_id=actor.id,
            created_at=utcnow(),
        )
    )
    post.body, post.body_html, post.language = body, _body_html(session, body), lang
    post.edited_at, post.edited_by_id = utcnow(), actor.id
    if title_changed:
        thread.title, thread.slug = new_title, thread_slug(new_title)
    if first:
        thread.language = lang
    session.flush()
    return post


def revisions_of(*, session: Session, post: Post) -> list[PostRevision]:
    """Earlier versions, oldest first."""
    return list(
        session.exec(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)
        )
    )


def delete_post(*, session: Session, actor, post: Post) -> Post:
    """Soft delete by the author: the post stays in place as "deleted by the author"."""
    thread = session.get(Thread, post.thread_id)
    if not permissions.can_delete_post(actor, post, thread):
        raise NotAllowed()
    post.deleted_at = utcnow()
    if thread.solution_post_id == post.id:
        thread.solution_post_id = None
    session.flush()
    refresh_thread_counters(session=session, thread=thread)
    return post


# --- useful marks and solutions -----------------------------------------------------------------
def toggle_useful(*, session: Session, actor, post: Post) -> bool:
    """Mark or unmark ``post`` as useful for ``actor``; returns whether it is marked now."""
    if not permissions.can_mark_useful(actor, post):
        raise NotAllowed()
    mark = session.exec(
        select(Reaction).where(
            Reaction.post_id == post.id, Reaction.user_id == actor.id, Reaction.kind == USEFUL
        )
    ).first()
    if mark is None:
        session.add(Reaction(post_id=post.id, user_id=actor.id, kind=USEFUL))
    else:
        session.delete(mark)
    session.flush()
    post.useful_count = session.exec(
        select(func.count())
        .select_from(Reaction)
        .where(Reaction.post_id == post.id, Reaction.kind == USEFUL)
    ).one()
    session.flush()
    refresh_thread_counters(session=session, thread=session.get(Thread, post.thread_id))
    return mark is None


def mark_solution(*, session: Session, actor, post: Post) -> Thread:
    """The thread author or a moderator marks one visible reply (never the first post) as the
    solution."""
    thread = session.get(Thread, post.thread_id)
    if not permissions.can_mark_solution(actor, thread):
        raise NotAllowed()
    if not post.is_visible or is_first_post(session=session, post=post):
        raise InvalidSolution()
    thread.solution_post_id = post.id
    session.flush()
    events.solution_marked.send(
        "discussions", session=session, actor=actor, post=post, thread=thread
    )
    return thread


def unmark_solution(*, session: Session, actor, thread: Thread) -> Thread:
    if not permissions.can_mark_solution(actor, thread):
        raise NotAllowed()
    thread.solution_post_id = None
    session.flush()
    return thread


# --- counters and positions ---------------------------------------------------------------------
def refresh_thread_counters(*, session: Session, thread: Thread) -> Thread:
    """Recompute post_count, last_post_at/id and useful_count from the visible posts.

    Called after every reply or deletion, and by moderation after hiding or restoring a post.
    """
    session.flush()
    count, useful, last_id = session.exec(
        _visible(
            select(
                func.count(Post.id),
                func.coalesce(func.sum(Post.useful_count), 0),
                func.max(Post.id),
            ).where(Post.thread_id == thread.id)
        )
    ).one()
    thread.post_count, thread.useful_count, thread.last_post_id = count, useful, last_id
    if last_id is not None:
        thread.last_post_at = session.exec(select(Post.created_at).where(Post.id == last_id)).one()
    else:
        thread.last_post_at = thread.created_at
    session.flush()
    return thread


def page_of_post(*, session: Session, post: Post, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of the thread that shows ``post`` (every post keeps its place, deleted or not)."""
    before = session.exec(
        select(func.count())
        .select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id)
    ).one()
    return before // per_page + 1


@events.account_deleted.connect
def _unlink_mentions(sender, *, session: Session, user, handle: str | None) -> None:
    if not handle:
        return
    unlink_mentions(session, Post, {"body": "body_html"}, handle)
