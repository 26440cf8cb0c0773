"""Thread curation: pin, feature, lock, move, rename, merge and split.

Same contract as every moderation service: keyword-only, permission-checked, ``flush`` only,
exactly one audit entry.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..core.models import Theme
from ..discussions.models import Post, Thread, ThreadGoal, ThreadRedirect
from ..discussions.service import clean_title, first_post_id, thread_slug
from ..domain import InvalidInput
from .audit import Target, record
from .errors import InvalidAction
from .rules import clean_reason, refresh_counters, require_moderator

# (attribute, value) -> (audit action, message when the thread is already in that state)
FLAG_ACTIONS = {
    "pin": ("pinned", True, _l("This thread is already pinned.")),
    "unpin": ("pinned", False, _l("This thread is not pinned.")),
    "feature": ("featured", True, _l("This thread is already featured on the home page.")),
    "unfeature": ("featured", False, _l("This thread is not featured on the home page.")),
    "lock": ("locked", True, _l("This thread is already locked.")),
    "unlock": ("locked", False, _l("This thread is not locked.")),
}


def set_thread_flag(
    *, session: Session, actor, thread: Thread, action: str, reason: str = ""
) -> Thread:
    """pin/unpin (within its theme), feature/unfeature (on the home page), lock/unlock."""
    require_moderator(actor)
    if action not in FLAG_ACTIONS:
        raise InvalidInput()
    attribute, value, already = FLAG_ACTIONS[action]
    if getattr(thread, attribute) == value:
        raise InvalidAction(already)
    reason = clean_reason(reason, required=False)
    setattr(thread, attribute, value)
    session.flush()
    record(
        session=session,
        actor=actor,
        action=f"thread.{action}",
        target=Target.thread(thread),
        reason=reason,
        before={attribute: not value},
        after={attribute: value},
    )
    return thread


def move_thread(
    *, session: Session, actor, thread: Thread, theme: Theme | None, reason: str = ""
) -> Thread:
    """Move to another theme; the audit entry keeps the old and the new theme."""
    require_moderator(actor)
    if theme is None or theme.id is None:
        raise InvalidInput(_l("Choose a theme."))
    if theme.id == thread.theme_id:
        raise InvalidAction(_l("The thread is already in this theme."))
    reason = clean_reason(reason, required=False)
    old = session.get(Theme, thread.theme_id)
    thread.theme_id = theme.id
    session.flush()
    record(
        session=session,
        actor=actor,
        action="thread.move",
        target=Target.thread(thread),
        reason=reason,
        before={"theme_id": old.id, "theme": old.slug},
        after={"theme_id": theme.id, "theme": theme.slug},
    )
    return thread


def rename_thread(
    *, session: Session, actor, thread: Thread, title: str, reason: str = ""
) -> Thread:
    require_moderator(actor)
    title = clean_title(title, error=InvalidInput)
    if title == thread.title:
        raise InvalidAction(_l("The thread already has this title."))
    reason = clean_reason(reason, required=False)
    before = {"title": thread.title}
    thread.title, thread.slug = title, thread_slug(title)
    session.flush()
    record(
        session=session,
        actor=actor,
        action="thread.rename",
        target=Target.thread(thread),
        reason=reason,
        before=before,
        after={"title": title},
    )
    return thread


def merge_thread(
    *, session: Session, actor, source: Thread, target: Thread | None, reason: str
) -> Thread:
    """Move every post of ``source`` into ``target`` (posts keep their dates) and remove ``source``;
    its URL redirects to ``target`` from then on."""
    require_moderator(actor)
    reason = clean_reason(reason)
    if target is None:
        raise InvalidInput(_l("Choose the thread to merge into."))
    if target.id == source.id:
        raise InvalidInput(_l("A thread cannot be merged into itself."))
    if source.kind != "discussion":
        raise InvalidAction(_l("The discussion of a lesson cannot be merged away."))
    posts = list(session.exec(select(Post).where(Post.thread_id == source.id).order_by(Post.id)))
    before = {
        "thread_id": source.id,
        "title": source.title,
        "theme_id": source.theme_id,
        "post_ids": [p.id for p in posts],
    }
    source_author_id = source.author_id
    for post in posts:
        post.thread_id = target.id
    target_goals = set(
        session.exec(select(ThreadGoal.goal_id).where(ThreadGoal.thread_id == target.id))
    )
    for link in session.exec(select(ThreadGoal).where(ThreadGoal.thread_id == source.id)):
        if link.goal_id not in target_goals:
            session.add(ThreadGoal(thread_id=target.id, goal_id=link.goal_id))
        session.delete(link)
    for earlier in session.exec(
        select(ThreadRedirect).where(ThreadRedirect.new_thread_id == source.id)
    ):
        earlier.new_thread_id = target.id
    session.flush()
    session.add(ThreadRedirect(old_thread_id=source.id, new_thread_id=target.id))
    session.delete(source)
    session.flush()
    refresh_counters(session, target)
    record(
        session=session,
        actor=actor,
        action="thread.merge",
        target=Target("thread", before["thread_id"], source_author_id),
        reason=reason,
        before=before,
        after={"thread_id": target.id, "title": target.title},
    )
    return target


def split_thread(
    *,
    session: Session,
    actor,
    thread: Thread,
    post_ids,
    title: str,
    reason: str = "",
    theme: Theme | None = None,
) -> Thread:
    """Move the selected replies (never the first post) into a new thread; they keep their dates."""
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    title = clean_title(title, error=InvalidInput)
    wanted = {int(pid) for pid in post_ids or ()}
    if not wanted:
        raise InvalidInput(_l("Select at least one reply to move."))
    posts = list(session.exec(select(Post).where(Post.id.in_(wanted)).order_by(Post.id)))
    if len(posts) != len(wanted) or any(p.thread_id != thread.id for p in posts):
        raise InvalidInput(_l("Select replies of this thread only."))
    if first_post_id(session=session, thread=thread) in wanted:
        raise InvalidInput(_l("The first post stays in its thread."))
    opener = min(posts, key=lambda p: (p.created_at, p.id))
    new = Thread(
        kind="discussion",
        theme_id=(theme.id if theme else thread.theme_id),
        title=title,
        slug=thread_slug(title),
        author_id=opener.author_id,
        language=opener.language,
        created_at=opener.created_at,
        last_post_at=opener.created_at,
    )
    session.add(new)
    session.flush()
    for post in posts:
        post.thread_id = new.id
    if thread.solution_post_id in wanted:
        thread.solution_post_id = None
    session.flush()
    refresh_counters(session, thread)
    refresh_counters(session, new)
    record(
        session=session,
        actor=actor,
        action="thread.split",
        target=Target.thread(thread),
        reason=reason,
        before={"thread_id": thread.id, "post_ids": sorted(wanted)},
        after={"thread_id": new.id, "title": title},
    )
    return new
