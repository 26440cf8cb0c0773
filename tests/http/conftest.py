"""Fixtures shared by the project and lesson page tests."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.projects.service import PartnerInput
from tests.factories import goal, make_project, make_user
from tests.openapi_check import ApiClient


@pytest.fixture
def member(db_session):
    """A member who reads the pages in English."""
    return make_user(db_session, display_name="Maja Medlem", locale="en")


@pytest.fixture
def mod(db_session):
    """A moderator who reads the pages in English (writes events in the events tests)."""
    return make_user(db_session, role="moderator", locale="en")


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
def live_settings(app_settings, tmp_path) -> dict:
    """The settings of the forum's real processes (``tests/processes.py``): the job worker on,
    its queue in the test's instance directory."""
    return {
        **app_settings,
        "JOBS_WORKER": True,
        "JOBS_SQLITE_PATH": str(tmp_path / "instance" / "jobs.db"),
    }


@pytest.fixture
def worker_settings(live_settings, smtp_server) -> dict:
    """Those settings with the test's SMTP server, for an app whose jobs a real worker runs."""
    return {**live_settings, **smtp_server.settings}


@pytest.fixture
def worker_app(worker_settings):
    application = create_app(worker_settings)
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def api(client) -> ApiClient:
    """The JSON API, every answer checked against the OpenAPI document it serves."""
    return ApiClient(client)
