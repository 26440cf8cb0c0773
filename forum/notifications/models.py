"""What members watch, what they were told, and their defaults.

``Watch``
    one row per member and watched item: ``target_type`` (thread | lesson | project | theme |
    goal | search) and ``target_key`` (the item's id, a goal's number, or a saved search's
    normalised query string), ``level`` (watching | tracking | muted). No row: the member's
    defaults decide (``WatchDefaults``).
``Notification``
    one thing a member is told: ``kind`` (see ``service.KINDS``), the content it is about
    (``post_id``, ``thread_id``, ``lesson_id``, ``report_id``: visibility is checked against them
    whenever it is shown), ``actor_id`` (who did it), ``reason`` (the watch that caused it, e.g.
    ``theme:2``), ``group_key`` (notifications shown together, e.g. every reply in one thread),
    ``read_at`` and ``emailed_at`` (NULL until a digest or a mail has carried it).
``WatchDefaults``
    a member's defaults; no row means the defaults of the model (both on).
``MailPreference``
    how a member gets one group of kinds by mail (``kinds.GROUPS``): immediate | daily | weekly
    | never; no row means the group's default (``kinds.DEFAULTS``).
``DigestSent``
    one row per member and digest period (``daily-2026-11-30``, ``weekly-2026-11-30``), written
    in the transaction that queues the digest and marks its notifications mailed: a digest run
    that is killed and started again skips whoever has a row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class Watch(SQLModel, table=True):
    __tablename__ = "watch"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_key", name="uq_watch_user_target"),
        # who watches this item: the fan-out of every new post or thread reads by target
        Index("ix_watch_target", "target_type", "target_key", "level"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    target_type: str = Field(max_length=20)
    target_key: str = Field(max_length=1000)
    level: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (
        # The header's unread count: WHERE user_id = ? AND read_at IS NULL, from the index alone.
        Index("ix_notification_user_read", "user_id", "read_at"),
        # The page, newest first, and a group's members.
        Index("ix_notification_user_group", "user_id", "group_key", "id"),
        # A digest: "not yet mailed, for member X, created in period P".
        Index("ix_notification_user_unsent", "user_id", "emailed_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    thread_id: int | None = Field(default=None, foreign_key="thread.id", ondelete="CASCADE")
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="CASCADE")
    lesson_id: int | None = Field(default=None, foreign_key="lesson.id", ondelete="CASCADE")
    report_id: int | None = Field(default=None, foreign_key="report.id", ondelete="CASCADE")
    reason: str = Field(default="", max_length=1100)
    group_key: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None)
    emailed_at: datetime | None = Field(default=None)


class WatchDefaults(SQLModel, table=True):
    __tablename__ = "watch_defaults"

    user_id: int = Field(
        foreign_key="user_account.id",
        primary_key=True,
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    threads: bool = Field(default=True)  # watch threads I start or reply to
    lessons: bool = Field(default=True)  # watch lessons I write


class MailPreference(SQLModel, table=True):
    __tablename__ = "mail_preference"

    user_id: int = Field(
        foreign_key="user_account.id",
        primary_key=True,
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    kind_group: str = Field(primary_key=True, max_length=20)
    frequency: str = Field(max_length=20)
    updated_at: datetime = Field(default_factory=utcnow)


class DigestSent(SQLModel, table=True):
    __tablename__ = "digest_sent"
    __table_args__ = (UniqueConstraint("user_id", "period", name="uq_digest_sent_user_period"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    period: str = Field(max_length=30)
    notification_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
