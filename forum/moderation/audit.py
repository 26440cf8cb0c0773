"""The audit trail: one ``ModerationAction`` per action, added in the caller's transaction.

Role changes are made by accounts and recorded here too: they are accountable like every
moderation action, and the log shows them next to the rest.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from .. import events
from ..clock import utcnow
from .models import ModerationAction

# Every action name the services write, with its label, in the order the log filter lists them.
ACTION_LABELS = {
    "report.file": _l("Report filed"),
    "report.withdraw": _l("Report withdrawn"),
    "report.dismiss": _l("Reports dismissed"),
    "report.resolve": _l("Reports resolved"),
    "post.hide": _l("Post hidden"),
    "post.restore": _l("Post restored"),
    "post.edit": _l("Post edited"),
    "post.delete": _l("Post deleted permanently"),
    "post.hold": _l("Post held for approval"),
    "post.approve": _l("Post approved"),
    "post.reject": _l("Post rejected"),
    "lesson.hide": _l("Lesson hidden"),
    "lesson.restore": _l("Lesson restored"),
    "project.hide": _l("Project hidden"),
    "project.restore": _l("Project restored"),
    "thread.pin": _l("Thread pinned"),
    "thread.unpin": _l("Thread unpinned"),
    "thread.feature": _l("Thread featured on the home page"),
    "thread.unfeature": _l("Thread no longer featured"),
    "thread.lock": _l("Thread locked"),
    "thread.unlock": _l("Thread unlocked"),
    "thread.move": _l("Thread moved"),
    "thread.rename": _l("Thread renamed"),
    "thread.merge": _l("Thread merged"),
    "thread.split": _l("Thread split"),
    "user.warn": _l("User warned"),
    "user.acknowledge_warning": _l("Warning acknowledged"),
    "user.suspend": _l("User suspended"),
    "user.lift_suspension": _l("Suspension lifted"),
    "user.note": _l("Note added"),
    "user.role": _l("Role changed"),
}

ITEM_TYPE_LABELS = {
    "post": _l("Post"),
    "lesson": _l("Lesson"),
    "project": _l("Project"),
    "barrier": _l("Accessibility barrier"),
    "thread": _l("Thread"),
    "user": _l("User"),
}

ACTIONS = tuple(ACTION_LABELS)


class Target(NamedTuple):
    """What an entry is about, and whose post or account it concerns (the log filters by them)."""

    type: str
    id: int | None
    user_id: int | None = None

    @classmethod
    def post(cls, post) -> Target:
        return cls("post", post.id, post.author_id)

    @classmethod
    def thread(cls, thread) -> Target:
        return cls("thread", thread.id, thread.author_id)

    @classmethod
    def user(cls, user) -> Target:
        return cls("user", user.id, user.id)


def record(
    *,
    session: Session,
    actor,
    action: str,
    target: Target,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> ModerationAction:
    """Add one audit entry (flushed, not committed: it shares the action's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    entry = ModerationAction(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target.type,
        target_id=target.id,
        target_user_id=target.user_id,
        reason=(reason or "")[:1000],
        before=before,
        after=after,
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


@events.user_role_changed.connect
def record_role_change(sender, *, session: Session, actor, user, before: str, after: str) -> None:
    if before == after:
        return
    record(
        session=session,
        actor=actor,
        action="user.role",
        target=Target.user(user),
        before={"role": before},
        after={"role": after},
    )
