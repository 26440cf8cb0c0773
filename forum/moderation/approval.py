"""Optional approval: posts by new accounts or with many links wait in the queue (off by default).

A waiting post is hidden (``hidden_at`` set, ``hidden_by_id`` empty, ``hidden_reason`` =
``AWAITING_APPROVAL``), so it stays out of lists, counters and search with no special case; a
waiting first post keeps its whole thread hidden.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from .. import events, permissions
from ..clock import utcnow
from ..discussions.models import Post, Thread
from .audit import Target, record
from .errors import InvalidAction
from .rules import clean_reason, refresh_counters, require_moderator, unhide_post

AWAITING_APPROVAL = "awaiting approval"
# Mentions link to profiles inside the forum: they are not the links this counts.
_LINK = re.compile(r"<a\s(?![^>]*\bclass=\"mention\")", re.IGNORECASE)


def is_awaiting_approval(post: Post) -> bool:
    return (
        post.hidden_at is not None
        and post.hidden_by_id is None
        and post.hidden_reason == AWAITING_APPROVAL
    )


def approval_reasons(*, author, post: Post, config=None) -> list[str]:
    """Why ``post`` must wait ([] when it may be public at once). Moderators never wait."""
    if config is None:
        if not has_app_context():
            return []
        config = current_app.config
    if not config.get("MODERATION_APPROVAL_ENABLED") or permissions.can_moderate(author):
        return []
    reasons = []
    max_age = config.get("MODERATION_APPROVAL_MAX_ACCOUNT_AGE_HOURS", 24)
    created = getattr(author, "created_at", None)
    if created is not None and utcnow() - created < timedelta(hours=max_age):
        reasons.append("new_account")
    if len(_LINK.findall(post.body_html or "")) > config.get("MODERATION_APPROVAL_MAX_LINKS", 2):
        reasons.append("links")
    return reasons


@events.post_created.connect
def hold_for_approval(sender, *, session: Session, actor, post: Post, thread: Thread, first: bool):
    """Hide a new post until a moderator approves it, when approval asks for that.

    A lesson's opening post is published with its lesson and never waits; its replies may.
    """
    if first and thread.kind != "discussion":
        return
    reasons = approval_reasons(author=actor, post=post)
    if not reasons:
        return
    post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), None, AWAITING_APPROVAL
    if first:
        thread.hidden_at = post.hidden_at
    refresh_counters(session, thread)
    record(
        session=session,
        actor=None,
        action="post.hold",
        target=Target.post(post),
        reason=", ".join(reasons),
        after={"thread_hidden": first},
    )
    events.post_held.send("moderation", session=session, post=post, thread=thread)


def _waiting(query):
    return query.where(
        Post.hidden_at.is_not(None),
        Post.hidden_by_id.is_(None),
        Post.hidden_reason == AWAITING_APPROVAL,
        Post.deleted_at.is_(None),
    )


def pending_posts(*, session: Session, limit: int = 100) -> list[Post]:
    return list(session.exec(_waiting(select(Post)).order_by(Post.id).limit(limit)))


def pending_count(*, session: Session) -> int:
    return session.exec(_waiting(select(func.count()).select_from(Post))).one()


def approve_post(*, session: Session, actor, post: Post) -> Post:
    require_moderator(actor)
    if not is_awaiting_approval(post):
        raise InvalidAction(_l("This post is not waiting for approval."))
    unhide_post(session, post)
    record(
        session=session,
        actor=actor,
        action="post.approve",
        target=Target.post(post),
        before={"hidden": True},
        after={"hidden": False},
    )
    thread = session.get(Thread, post.thread_id)
    events.post_approved.send("moderation", session=session, actor=actor, post=post, thread=thread)
    return post


def reject_post(*, session: Session, actor, post: Post, reason: str) -> Post:
    """Keep it hidden, now as a moderator's decision with a reason the author sees."""
    require_moderator(actor)
    reason = clean_reason(reason)
    if not is_awaiting_approval(post):
        raise InvalidAction(_l("This post is not waiting for approval."))
    post.hidden_by_id, post.hidden_reason = actor.id, reason
    session.flush()
    record(
        session=session,
        actor=actor,
        action="post.reject",
        target=Target.post(post),
        reason=reason,
        before={"awaiting_approval": True},
        after={"hidden": True},
    )
    return post
