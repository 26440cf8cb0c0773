"""Helpers for the browser tests: users in the live database, a real login, a page that must not
reload."""

from __future__ import annotations

from contextlib import contextmanager

from sqlmodel import Session

from tests.factories import DEFAULT_PASSWORD, make_user

# How long to wait for a page after a POST that writes much (a new thread: its language, search
# entry and notifications) when six other test runs share two cores: an upper bound, not a pace.
PUBLISH_WAIT_MS = 30_000


@contextmanager
def live_session(live_app):
    """A session on the live server's database, to arrange what the browser then finds."""
    with Session(live_app.extensions["forum_engine"], expire_on_commit=False) as session:
        yield session


def live_user(live_app, **fields):
    with live_session(live_app) as session:
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
