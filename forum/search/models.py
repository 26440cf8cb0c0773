"""Tables of the search area: the change outbox, the glossary and the import map."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class SearchOutbox(SQLModel, table=True):
    """One change to searchable content, written in the same transaction as the change.

    ``id`` is the sequence number. It is allocated when the row is written, not when it commits,
    so on PostgreSQL a lower id can become visible after a higher one: which rows a node has
    applied is therefore recorded row by row (``SearchOutboxApplied``), never as a highest id.
    ``operation`` is ``upsert`` (re-read the entity from the database and index it if visible,
    otherwise remove it) or ``delete`` (the row is gone). Failures bump ``attempts`` and keep
    ``last_error`` so the row is retried.
    """

    __tablename__ = "search_outbox"

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=20)  # thread | post | project | lesson
    entity_id: int
    operation: str = Field(default="upsert", max_length=10)  # upsert | delete
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)


class SearchNode(SQLModel, table=True):
    """One search index kept current from the outbox: a node's ``SEARCH_DIR`` (its id is in the
    directory's ``node-id`` file). An outbox row is pruned only once every node applied it."""

    __tablename__ = "search_node"

    id: str = Field(primary_key=True, max_length=40)
    seen_at: datetime = Field(default_factory=utcnow)  # nodes silent for long are forgotten


class SearchOutboxApplied(SQLModel, table=True):
    """Node ``node_id``'s index holds the change of outbox row ``outbox_id``."""

    __tablename__ = "search_outbox_applied"

    # outbox_id first: the primary key's index also serves deleting a pruned row's marks
    outbox_id: int = Field(primary_key=True, foreign_key="search_outbox.id", ondelete="CASCADE")
    node_id: str = Field(
        primary_key=True, max_length=40, foreign_key="search_node.id", ondelete="CASCADE"
    )


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
