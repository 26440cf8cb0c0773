"""What every moderation service checks first, and the thread state it keeps right afterwards.

Who may moderate, what a reason looks like, and the counters of a thread whose posts changed:
the report, post, thread, user, item and approval services share these.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from .. import permissions
from ..discussions import service as discussions
from ..discussions.models import Post, Thread
from ..domain import InvalidInput, NotAllowed

REASON_MAX = 1000


def require_moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise NotAllowed()


def clean_reason(reason: str | None, *, required: bool = True) -> str:
    """The reason on one line; required unless ``required`` is False, never too long."""
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput(_l("Give a reason."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(_l("Keep the reason under %(max)d characters.", max=REASON_MAX))
    return reason


def refresh_counters(session: Session, thread: Thread | None) -> None:
    if thread is not None:
        discussions.refresh_thread_counters(session=session, thread=thread)


def is_first_post(session: Session, post: Post) -> bool:
    return discussions.is_first_post(session=session, post=post)


def unhide_post(session: Session, post: Post) -> bool:
    """Make a hidden post public again, with its thread when it is the first post (then True)."""
    thread = session.get(Thread, post.thread_id)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, None
    first = is_first_post(session, post)
    if first:
        thread.hidden_at = None
    refresh_counters(session, thread)
    return first
