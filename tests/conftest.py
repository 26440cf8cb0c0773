"""Shared fixtures: an app on a temporary SQLite file (migrated by Alembic) and search directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from forum import create_app
from forum.config import TestConfig
from forum.core.seed import seed_reference_data
from forum.db import make_engine
from forum.migrate import upgrade


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


@pytest.fixture
def app_settings(tmp_path, migrated_db_template) -> dict:
    db_path = tmp_path / "forum.db"
    shutil.copy(migrated_db_template, db_path)
    return test_settings(
        DATABASE_URL=f"sqlite:///{db_path}",
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
