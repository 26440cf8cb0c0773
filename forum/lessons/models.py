"""Lessons: what a project learnt, in structured sections, with measured outcomes.

Field names are meant to be read by other areas (search, moderation, exports):

``Lesson``
    ``project_id``, ``title``, ``slug``, ``lesson_type`` (``LessonType``), ``theme_id``,
    ``language`` (sv | en), the sections ``context``, ``what_was_done``, ``results``,
    ``what_worked``, ``what_did_not_work``, ``advice`` (Markdown, each with a ``*_html`` twin),
    ``links`` (one http(s) URL per line), ``author_id``, ``status`` (draft | published: drafts are
    visible to their author only and never indexed), ``featured``, ``useful_count`` (number of
    ``LessonReaction`` rows), ``hidden_at``/``hidden_by_id``/``hidden_reason`` (``Hideable``:
    hidden by a moderator), ``created_at``/``published_at``/``updated_at``, ``thread_id`` (the
    discussion ``Thread`` of kind ``lesson``, created at publication), ``is_demo``. Measured
    outcomes are ``LessonOutcome`` rows (label, value, unit) and SDGs ``LessonGoal`` rows.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow
from ..core.models import Hideable
from ..db import enum_column


class LessonType(str, enum.Enum):
    method = "method"
    tool = "tool"
    model = "model"
    training_material = "training_material"
    technical_solution = "technical_solution"
    innovation = "innovation"
    financing_model = "financing_model"
    partnership_model = "partnership_model"
    goal_management = "goal_management"
    other = "other"


class LessonStatus(str, enum.Enum):
    draft = "draft"
    published = "published"


# The text sections of a lesson, in reading order.
LESSON_SECTIONS = (
    "context",
    "what_was_done",
    "results",
    "what_worked",
    "what_did_not_work",
    "advice",
)


class Lesson(Hideable, table=True):
    __tablename__ = "lesson"
    __table_args__ = (
        Index("ix_lesson_status_published", "status", "published_at"),
        Index("ix_lesson_featured_theme", "featured", "theme_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    slug: str = Field(max_length=220)
    lesson_type: LessonType = Field(
        default=LessonType.method, sa_column=enum_column(LessonType, "lesson_type")
    )
    theme_id: int = Field(foreign_key="theme.id", index=True)
    language: str = Field(default="sv", max_length=5)
    context: str = Field(sa_column=Column(Text, nullable=False))
    context_html: str = Field(sa_column=Column(Text, nullable=False))
    what_was_done: str = Field(sa_column=Column(Text, nullable=False))
    what_was_done_html: str = Field(sa_column=Column(Text, nullable=False))
    results: str = Field(default="", sa_column=Column(Text, nullable=False))
    results_html: str = Field(default="", sa_column=Column(Text, nullable=False))
    what_worked: str = Field(default="", sa_column=Column(Text, nullable=False))
    what_worked_html: str = Field(default="", sa_column=Column(Text, nullable=False))
    what_did_not_work: str = Field(default="", sa_column=Column(Text, nullable=False))
    what_did_not_work_html: str = Field(default="", sa_column=Column(Text, nullable=False))
    advice: str = Field(sa_column=Column(Text, nullable=False))
    advice_html: str = Field(sa_column=Column(Text, nullable=False))
    links: str = Field(default="", sa_column=Column(Text, nullable=False))
    author_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    status: LessonStatus = Field(
        default=LessonStatus.draft, sa_column=enum_column(LessonStatus, "lesson_status")
    )
    featured: bool = Field(default=False)
    useful_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow)
    thread_id: int | None = Field(
        default=None, foreign_key="thread.id", unique=True, ondelete="SET NULL"
    )
    is_demo: bool = Field(default=False)

    @property
    def is_published(self) -> bool:
        return self.status == LessonStatus.published

    @property
    def is_public(self) -> bool:
        """Published and not hidden by a moderator: listed, exported and indexed."""
        return self.status == LessonStatus.published and self.hidden_at is None

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class LessonGoal(SQLModel, table=True):
    __tablename__ = "lesson_goal"

    lesson_id: int = Field(foreign_key="lesson.id", primary_key=True, ondelete="CASCADE")
    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class LessonOutcome(SQLModel, table=True):
    """A measured result, e.g. label "CO₂ per resident", value -30, unit "%"."""

    __tablename__ = "lesson_outcome"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="lesson.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    label: str = Field(max_length=160)
    value: float
    unit: str = Field(default="", max_length=40)


class LessonRevision(SQLModel, table=True):
    """The state of a lesson before an edit (JSON of every editable field and its outcomes)."""

    __tablename__ = "lesson_revision"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="lesson.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    edited_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class LessonReaction(SQLModel, table=True):
    """A "useful" mark on a lesson: one per user and lesson (ranks the lesson list)."""

    __tablename__ = "lesson_reaction"
    __table_args__ = (
        UniqueConstraint("lesson_id", "user_id", name="uq_lesson_reaction_lesson_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="lesson.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
