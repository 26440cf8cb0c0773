"""Threads, posts, revisions and reactions.

A ``Thread`` of kind ``lesson`` is the discussion of a lesson, one of kind ``event`` that of an
event: their replies are ordinary posts, so replies, edits, reactions, moderation and search are
written once for every kind.
Counters (``post_count``, ``last_post_at``...) are kept current by the services on every write,
so list pages never count rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class ThreadGoal(SQLModel, table=True):
    __tablename__ = "thread_goal"

    thread_id: int = Field(foreign_key="thread.id", primary_key=True, ondelete="CASCADE")
    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class Thread(SQLModel, table=True):
    __tablename__ = "thread"
    # The lists read public threads (``kind`` first: every list asks for discussions) in the
    # order of an index, so a page of them is found without sorting every thread; counts and the
    # home page's figures per theme are read from one covering index, not from the rows.
    # SQLite picks these without ANALYZE statistics: an equality and then the order.
    __table_args__ = (
        Index("ix_thread_theme_activity", "kind", "theme_id", "pinned", "last_post_at", "id"),
        Index("ix_thread_activity", "kind", "pinned", "last_post_at", "id"),
        Index("ix_thread_newest", "kind", "pinned", "created_at", "id"),  # the feeds' order
        Index("ix_thread_latest", "kind", "featured", "pinned", "last_post_at", "id"),
        Index("ix_thread_listed", "kind", "theme_id", "hidden_at", "post_count", "last_post_at"),
        Index("ix_thread_featured_activity", "featured", "last_post_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # discussion | lesson | event (the last two belong to a lesson or an event)
    kind: str = Field(default="discussion", max_length=20, index=True)
    theme_id: int = Field(foreign_key="theme.id", index=True)
    # the form allows TITLE_MAX (200) characters; an imported title is kept whole up to 500
    title: str = Field(max_length=500)
    slug: str = Field(max_length=220)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    language: str = Field(default="sv", max_length=5)
    created_at: datetime = Field(default_factory=utcnow)
    # moderation-controlled state; the fields exist from the start
    pinned: bool = Field(default=False)
    featured: bool = Field(default=False)
    locked: bool = Field(default=False)
    hidden_at: datetime | None = Field(default=None)
    solution_post_id: int | None = Field(default=None)
    # the project this thread is about, optional
    project_id: int | None = Field(
        default=None, foreign_key="project.id", index=True, ondelete="SET NULL"
    )
    # counters kept up to date on write
    post_count: int = Field(default=0)  # visible posts including the first one
    useful_count: int = Field(default=0)
    last_post_at: datetime = Field(default_factory=utcnow, index=True)
    last_post_id: int | None = Field(default=None)

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    @property
    def is_solved(self) -> bool:
        return self.solution_post_id is not None


class Post(SQLModel, table=True):
    __tablename__ = "post"
    __table_args__ = (Index("ix_post_thread_id_id", "thread_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="thread.id", ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(default="sv", max_length=5)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    edited_at: datetime | None = Field(default=None)
    edited_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    deleted_at: datetime | None = Field(default=None)  # soft delete by the author
    hidden_at: datetime | None = Field(default=None)  # hidden by a moderator
    hidden_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    hidden_reason: str | None = Field(default=None, max_length=500)
    useful_count: int = Field(default=0)
    # idempotency key of the form that created it: a double submit creates one post
    submission_key: str | None = Field(default=None, max_length=64, unique=True)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(SQLModel, table=True):
    """An earlier body of a post, kept on every edit."""

    __tablename__ = "post_revision"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True, ondelete="CASCADE")
    body: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = Field(default=None, max_length=500)  # the thread title, for first posts
    edited_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class Reaction(SQLModel, table=True):
    """A "useful" mark: one per user and post."""

    __tablename__ = "reaction"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "kind", name="uq_reaction_post_user_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="useful", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class ThreadRedirect(SQLModel, table=True):
    """A thread merged into another: its old URL leads to the thread that took its posts."""

    __tablename__ = "thread_redirect"

    old_thread_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    new_thread_id: int = Field(foreign_key="thread.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
