"""Projects: the places and partners lessons come from.

Field names are meant to be read by other areas (search, moderation, exports):

``Project``
    ``slug`` (unique, URL), ``name``, ``district`` and ``municipality`` (the place), ``status``
    (planned | ongoing | completed), ``start_year``/``end_year``, ``summary`` (Markdown) and
    ``summary_html`` (sanitized, rendered at write time), ``website``, ``contact_user_id`` (a forum
    user, optional), ``creator_id``, ``created_at``/``updated_at`` and ``last_activity_at`` (bumped
    on edits and lesson publication; list sorting also looks at linked threads), ``is_demo``.
    Partners (``ProjectPartner``), themes (``ProjectTheme``) and SDGs (``ProjectGoal``) are rows
    of their own; every edit stores the previous state as a ``ProjectRevision``.
    Hidden by a moderator: the ``Hideable`` columns. Lessons are in ``forum.lessons.models``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from ..accounts.models import ActorType
from ..clock import utcnow
from ..core.models import Hideable
from ..db import enum_column


class ProjectStatus(str, enum.Enum):
    planned = "planned"
    ongoing = "ongoing"
    completed = "completed"


class Project(Hideable, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    name: str = Field(max_length=160)
    district: str = Field(default="", max_length=120)
    municipality: str = Field(max_length=120, index=True)
    status: ProjectStatus = Field(
        default=ProjectStatus.ongoing, sa_column=enum_column(ProjectStatus, "project_status")
    )
    start_year: int | None = Field(default=None)
    end_year: int | None = Field(default=None)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    summary_html: str = Field(default="", sa_column=Column(Text, nullable=False))
    website: str | None = Field(default=None, max_length=500)
    contact_user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    creator_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    last_activity_at: datetime = Field(default_factory=utcnow, index=True)
    is_demo: bool = Field(default=False)


class ProjectSlugHistory(SQLModel, table=True):
    """An address a project had before its slug changed: ``/projects/<old slug>`` answers 301.

    A slug lives in at most one row, and never while a live project has it (the live project wins).
    """

    __tablename__ = "project_slug_history"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class ProjectPartner(SQLModel, table=True):
    __tablename__ = "project_partner"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    organisation: str = Field(max_length=160)
    actor_type: ActorType = Field(
        default=ActorType.public,
        sa_column=enum_column(ActorType, "actor_type", length=20),
    )
    position: int = Field(default=0)


class ProjectTheme(SQLModel, table=True):
    __tablename__ = "project_theme"

    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class ProjectGoal(SQLModel, table=True):
    __tablename__ = "project_goal"

    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class ProjectRevision(SQLModel, table=True):
    """The state of a project before an edit: ``snapshot`` is JSON of every editable field."""

    __tablename__ = "project_revision"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=160)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    edited_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
