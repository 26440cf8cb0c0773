"""Tables of the search area: the change outbox, the glossary and the import map."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class SearchOutbox(SQLModel, table=True):
    """One change to searchable content, written in the same transaction as the change.

    ``id`` is the sequence number (monotonic). ``operation`` is ``upsert`` (re-read the entity from
    the database and index it if visible, otherwise remove it) or ``delete`` (the row is gone).
    A row stays ``applied = False`` until the index has committed it; failures bump ``attempts``
    and keep ``last_error`` so the row is retried.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_pending", "applied", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=20)  # thread | post | project | lesson
    entity_id: int
    operation: str = Field(default="upsert", max_length=10)  # upsert | delete
    created_at: datetime = Field(default_factory=utcnow)
    applied: bool = Field(default=False)
    applied_at: datetime | None = Field(default=None)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)


class GlossaryGroup(SQLModel, table=True):
    """A set of equivalent terms across languages (klimatneutral = climate neutral = net zero)."""

    __tablename__ = "glossary_group"

    id: int | None = Field(default=None, primary_key=True)
    note: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class GlossaryTerm(SQLModel, table=True):
    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("group_id", "term", name="uq_glossary_term_group_term"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="glossary_group.id", index=True, ondelete="CASCADE")
    term: str = Field(max_length=80, index=True)  # lower-case, as typed (may be several words)
    language: str = Field(default="sv", max_length=5)


class ImportedItem(SQLModel, table=True):
    """Which source record became which row, so re-importing a file adds nothing twice."""

    __tablename__ = "imported_item"

    id: int | None = Field(default=None, primary_key=True)
    source_key: str = Field(max_length=200, unique=True)  # e.g. "post:sesust-p1"
    entity: str = Field(max_length=20)  # thread | post | user
    entity_id: int
    created_at: datetime = Field(default_factory=utcnow)
