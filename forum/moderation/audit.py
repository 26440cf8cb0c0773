"""The audit trail: one ``ModerationAction`` per action, added in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ..i18n import utcnow
from .models import ModerationAction

# Every action name the services write, in the order the log filter lists them.
ACTIONS = (
    "report.file",
    "report.withdraw",
    "report.dismiss",
    "report.resolve",
    "post.hide",
    "post.restore",
    "post.edit",
    "post.delete",
    "post.hold",
    "post.approve",
    "post.reject",
    "lesson.hide",
    "lesson.restore",
    "project.hide",
    "project.restore",
    "thread.pin",
    "thread.unpin",
    "thread.feature",
    "thread.unfeature",
    "thread.lock",
    "thread.unlock",
    "thread.move",
    "thread.rename",
    "thread.merge",
    "thread.split",
    "user.warn",
    "user.acknowledge_warning",
    "user.suspend",
    "user.lift_suspension",
    "user.note",
    "user.role",
)


def record(
    *,
    session: Session,
    actor,
    action: str,
    target_type: str,
    target_id: int | None,
    target_user_id: int | None = None,
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
        target_type=target_type,
        target_id=target_id,
        target_user_id=target_user_id,
        reason=(reason or "")[:1000],
        before=before,
        after=after,
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry
