"""Database engine per application, one session per request (on ``g``) and the column types the
areas share."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Column, Index, event, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def enum_column(enum_cls: type[enum.Enum], name: str, *, length: int = 30) -> Column:
    """A required enum column stored as the member's value in a string column (no database enum)."""
    return Column(SAEnum(enum_cls, name=name, native_enum=False, length=length), nullable=False)


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index of the rows where the SQL condition ``where`` holds, on SQLite and PostgreSQL.

    The condition reaches a dialect only as the index is created, or as a migration is written
    (``spell_out_partial_indexes``): naming ``postgresql_where`` in a model makes SQLAlchemy
    import PostgreSQL's dialect and its drivers (2 MiB) in every process on SQLite too, just to
    check the keyword."""
    return Index(name, *columns, unique=unique, info={"where": where})


def _give_condition(index: Index, dialect: str) -> None:
    if "where" in index.info:
        index.dialect_options[dialect]["where"] = text(index.info["where"])


@event.listens_for(Index, "before_create")
def _before_create(index: Index, connection, **_kw) -> None:
    _give_condition(index, connection.dialect.name)


def spell_out_partial_indexes(metadata) -> None:
    """Give each partial index its condition for both databases, for Alembic's autogenerate to
    write into a migration."""
    for table in metadata.tables.values():
        for index in table.indexes:
            for dialect in ("sqlite", "postgresql"):
                _give_condition(index, dialect)


def init_app(app: Flask) -> None:
    app.extensions["forum_engine"] = make_engine(
        app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False)
    )
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    return current_app.extensions["forum_engine"]


def get_session() -> Session:
    """The request's session, created on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A standalone session for CLI commands and background work: commits on success."""
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
