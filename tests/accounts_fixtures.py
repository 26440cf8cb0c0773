"""Fixtures and helpers for the accounts tests (imported by tests/*/test_accounts_*.py)."""

from __future__ import annotations

import re

import pytest

from forum import create_app
from tests.mail_fixtures import first_link

VALID_PASSWORD = "ekar och lindar i parken"
REGISTRATION = {
    "display_name": "Anna Lindqvist",
    "email": "anna@example.org",
    "password": VALID_PASSWORD,
    "password_confirm": VALID_PASSWORD,
    "organisation": "Malmö stad",
    "actor_type": "public",
    "locale": "sv",
    "accept_terms": "y",
    "website": "",
}


@pytest.fixture
def mail_app(app_settings, smtp_server):
    """The app sending mail to the test SMTP server (aiosmtpd on 127.0.0.1)."""
    application = create_app({**app_settings, **smtp_server.settings})
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


def register(client, **overrides):
    """Register in a browser of its own: a new member is signed in there, and ``client`` stays
    as it was (the tests open the mailed links or log in with it)."""
    return client.application.test_client().post("/register", data={**REGISTRATION, **overrides})


def login(client, email=REGISTRATION["email"], password=VALID_PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def link_path(message, part: str) -> str:
    """The path (and query) of the first link in ``message`` containing ``part``."""
    return re.sub(r"^https?://[^/]+", "", first_link(message, part))


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str | None:
    match = re.search(rf'id="{field_id}-error">([^<]*)<', text(response))
    return match.group(1) if match else None
