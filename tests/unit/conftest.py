"""Fixtures shared by the unit tests of services."""

from __future__ import annotations

import pytest

from tests.factories import make_project, make_user


@pytest.fixture
def ctx(app):
    """A request context (services translate their messages)."""
    with app.test_request_context():
        yield


@pytest.fixture
def mod(db_session, ctx):
    """A moderator, inside a request context."""
    return make_user(db_session, role="moderator")


@pytest.fixture
def member(db_session):
    return make_user(db_session)


@pytest.fixture
def project(db_session, member, ctx):
    """A project by ``member`` with the defaults of ``project_input``."""
    return make_project(db_session, member)
