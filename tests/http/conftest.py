"""Fixtures shared by the project and lesson page tests."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.projects.service import PartnerInput
from tests.factories import goal, make_project, make_user


@pytest.fixture
def member(db_session):
    """A member who reads the pages in English."""
    return make_user(db_session, display_name="Maja Medlem", locale="en")


@pytest.fixture
def project(app, db_session, member):
    """A completed project by ``member``, with one goal and one partner."""
    with app.test_request_context("/"):
        return make_project(
            db_session,
            member,
            start_year=None,
            end_year=None,
            summary="Bo01.",
            website="",
            goal_ids=[goal(db_session, 11).id],
            partners=[PartnerInput("Malmö stad", "public")],
        )


@pytest.fixture
def worker_settings(app_settings, tmp_path, smtp_server) -> dict:
    """Settings of an app whose jobs go to a queue (a SQLite file) for a real worker process."""
    return {
        **app_settings,
        **smtp_server.settings,
        "JOBS_WORKER": True,
        "JOBS_SQLITE_PATH": str(tmp_path / "instance" / "jobs.db"),
    }


@pytest.fixture
def worker_app(worker_settings):
    application = create_app(worker_settings)
    yield application
    application.extensions["forum_engine"].dispose()
