"""Reports, the append-only audit log, moderator notes, warnings and thread redirects."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, event
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from ..clock import utcnow
from ..db import partial_index


class ReportReason(str, enum.Enum):
    spam = "spam"
    off_topic = "off_topic"
    harassment = "harassment"
    misinformation = "misinformation"
    personal_data = "personal_data"
    other = "other"
    accessibility = "accessibility"  # a barrier on the site itself (a BarrierReport)


class ReportStatus(str, enum.Enum):
    open = "open"
    dismissed = "dismissed"
    resolved = "resolved"
    withdrawn = "withdrawn"


class Report(SQLModel, table=True):
    """A user's report of a post, lesson or project, or anyone's report of an accessibility
    barrier (``item_type`` "barrier", a ``BarrierReport``). One open report per user and item."""

    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_item", "item_type", "item_id", "status"),
        partial_index(
            "uq_report_open_per_user_item",
            "reporter_id",
            "item_type",
            "item_id",
            unique=True,
            where="status = 'open'",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # NULL: a barrier reported by a visitor who was not logged in
    reporter_id: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="CASCADE"
    )
    item_type: str = Field(max_length=20)  # post | lesson | project | barrier
    item_id: int
    reason: ReportReason = Field(
        sa_column=Column(
            SAEnum(ReportReason, name="report_reason", native_enum=False, length=20), nullable=False
        )
    )
    comment: str = Field(default="", max_length=1000)
    status: ReportStatus = Field(
        default=ReportStatus.open,
        sa_column=Column(
            SAEnum(ReportStatus, name="report_status", native_enum=False, length=20), nullable=False
        ),
    )
    resolved_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    resolution_note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = Field(default=None)


class BarrierReport(SQLModel, table=True):
    """An accessibility barrier someone met on the forum (the form of /accessibility): what the
    moderators read in the queue. The optional address is erased when the report is closed."""

    __tablename__ = "barrier_report"

    id: int | None = Field(default=None, primary_key=True)
    page: str = Field(default="", max_length=500)  # the address or name of the page, as typed
    description: str = Field(sa_column=Column(Text, nullable=False))
    contact_email: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow)


class ModerationAction(SQLModel, table=True):
    """One entry of the audit log. Written in the same transaction as the action; never changed."""

    __tablename__ = "moderation_action"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    action: str = Field(max_length=40, index=True)
    target_type: str = Field(max_length=20)  # post | thread | user | report | lesson | project
    target_id: int | None = Field(default=None)
    target_user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    reason: str = Field(default="", max_length=1000)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(ModerationAction, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"moderation_action {target.id} cannot be changed")


@event.listens_for(ModerationAction, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"moderation_action {target.id} cannot be deleted")


class UserNote(SQLModel, table=True):
    """A private note about a user, visible to moderators only."""

    __tablename__ = "user_note"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class UserWarning(SQLModel, table=True):
    """A message from the moderators that the user sees until they acknowledge it."""

    __tablename__ = "user_warning"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    issued_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    message: str = Field(sa_column=Column(Text, nullable=False))
    # the post, lesson or project the warning is about, when it came from the queue
    item_type: str | None = Field(default=None, max_length=20)
    item_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    acknowledged_at: datetime | None = Field(default=None)


class Suspension(SQLModel, table=True):
    """Why and until when a user is suspended; ``User.suspended_until`` is the fast check.

    ``until`` is NULL for an indefinite suspension (``User.suspended_until`` then holds
    ``INDEFINITE``). Lifting sets ``lifted_at``; the history stays.
    """

    __tablename__ = "suspension"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    issued_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reason: str = Field(max_length=1000)
    until: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    lifted_at: datetime | None = Field(default=None)
    lifted_by_id: int | None = Field(default=None, foreign_key="user_account.id")


# An indefinite suspension, stored in User.suspended_until so can_participate needs no join.
INDEFINITE = datetime(9999, 12, 31)
