"""Helpers for the discussion browser tests: users in the live database, a real login."""
from __future__ import annotations

import pytest
from sqlmodel import Session

from forum.extensions import limiter
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture(autouse=True)
def live_app_rate_limits(live_app):
    """flask-limiter keeps its on/off switch on the global extension: a test that created a
    rate-limited app earlier may have switched it on for the live server too. Restore the live
    app's own setting (off in the test configuration) for these tests."""
    limiter.enabled = live_app.config["RATELIMIT_ENABLED"]
    yield


def live_user(live_app, **fields):
    with Session(live_app.extensions["forum_engine"], expire_on_commit=False) as session:
        return make_user(session, **fields)


def log_in(page, base_url: str, user) -> None:
    """Through the real login form (a POST with its CSRF token)."""
    page.goto(base_url + "/login")
    form = page.locator("#login-form")
    form.locator("input[name=email]").fill(user.email)
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def mark_page(page) -> None:
    """Set a flag that survives only as long as the page is not reloaded."""
    page.evaluate("window.__noReload = 'still here'")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__noReload") == "still here"
