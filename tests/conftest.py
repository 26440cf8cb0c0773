"""Shared fixtures: an app on a fresh database (migrated by Alembic) and a temporary search
directory.

SQLite by default: each test gets a copy of one migrated and seeded template file. With
``FORUM_TEST_DATABASE_URL`` set (``make test-pg`` starts a real PostgreSQL server and sets it),
the schema is migrated once and every test starts from truncated, re-seeded tables.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from forum import create_app
from forum.config import TestConfig
from forum.core.seed import seed_reference_data
from forum.db import make_engine
from forum.migrate import upgrade
from forum.models import metadata

# Fixture modules shared by several test directories, registered once for the whole suite.
pytest_plugins = ["tests.mail_fixtures", "tests.accounts_fixtures", "tests.redis_fixtures"]

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")


def test_settings(**overrides) -> dict:
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings.update(overrides)
    return settings


@pytest.fixture(scope="session")
def migrated_db_template(tmp_path_factory) -> Path:
    """One database migrated with `alembic upgrade head` and seeded, copied for each test."""
    path = tmp_path_factory.mktemp("dbtemplate") / "template.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_reference_data(session)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine():
    """The PostgreSQL test database, emptied and migrated once per run."""
    from sqlalchemy import text

    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(POSTGRES_URL)
    yield engine
    engine.dispose()


def fresh_database_url(tmp_path: Path, request) -> str:
    if not POSTGRES_URL:
        db_path = tmp_path / "forum.db"
        shutil.copy(request.getfixturevalue("migrated_db_template"), db_path)
        return f"sqlite:///{db_path}"
    from sqlalchemy import text

    engine = request.getfixturevalue("postgres_engine")
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with Session(engine) as session:
        seed_reference_data(session)
        session.commit()
    return POSTGRES_URL


@pytest.fixture
def app_settings(tmp_path, request) -> dict:
    return test_settings(
        DATABASE_URL=fresh_database_url(tmp_path, request),
        SEARCH_DIR=str(tmp_path / "search_index"),
        INSTANCE_DIR=str(tmp_path / "instance"),
        MAIL_DIR=str(tmp_path / "instance" / "mail"),
    )


@pytest.fixture
def app(app_settings):
    application = create_app(app_settings)
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    """A session outside any request, for arranging data and checking results."""
    with Session(app.extensions["forum_engine"], expire_on_commit=False) as session:
        yield session
