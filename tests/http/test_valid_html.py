"""Every kind of page is valid HTML by the Nu HTML checker (vnu): each GET route for each role
(anonymous, member, moderator, administrator) in Swedish and in English on the demo content, the
error pages, and forms shown again with their errors. Pages are collected with Flask's test
client and checked in one run of the checker (``tests/html_checker.py``)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from forum.accounts.demo import demo_user
from forum.demo import seed_demo
from forum.discussions.models import Post
from forum.moderation.posts import hide_post
from forum.moderation.users import warn_user
from forum.search.glossary import seed_glossary
from tests.factories import login_as, make_report
from tests.html_checker import html_errors, java_and_vnu
from tests.routes import get_paths

ROLES = [None, "member", "moderator", "admin"]
# Pages that no route template names: search with results and filters, a page that is not there.
EXTRA = ["/search?q=tak", "/search?q=energi&type=thread&lang=sv", "/no-such-page"]
# Forms posted empty come back with their errors (422), as a plain browser sees them.
INVALID_POSTS = {None: ["/register", "/login", "/reset"], "member": ["/threads/new"]}


@pytest.fixture
def app_settings(app_settings):
    """The real forms, with their CSRF fields (several forms on one page each carry one)."""
    return {**app_settings, "WTF_CSRF_ENABLED": True}


def _full_page(response) -> str | None:
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html" and text.lstrip().lower().startswith("<!doctype html"):
        return text
    return None


def _pages_of(client, role, language, paths) -> dict[str, str]:
    pages, errors_seen = {}, set()
    headers = {"Accept-Language": language}
    for path in paths:
        response = client.get(path, headers=headers, follow_redirects=True)
        where = response.request.full_path.rstrip("?")  # after redirects: each page once
        status = response.status_code
        if status >= 400 and status in errors_seen:
            continue  # one error page of each status is enough: they share one template
        errors_seen.add(status)
        if html := _full_page(response):
            pages[f"{role or 'anonymous'} {language} GET {where} {status}"] = html
    for path in INVALID_POSTS.get(role, []):
        form = client.get(path, headers=headers).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', form)
        response = client.post(path, data={"csrf_token": token[1]}, headers=headers)
        if html := _full_page(response):
            pages[f"{role or 'anonymous'} {language} POST {path} {response.status_code}"] = html
    return pages


def _moderation_to_show(app, session) -> None:
    """Open reports for the queue, a hidden reply and a warning for the log and the notices."""
    moderator, member = demo_user(session, "moderator"), demo_user(session, "member")
    posts = session.exec(select(Post).where(Post.thread_id == 1).order_by(Post.id)).all()
    with app.test_request_context("/"):
        make_report(session, "post", posts[0].id, comment="Reklam?")
        make_report(session, "lesson", 1, reason="other", comment="Fel siffror")
        hide_post(session=session, actor=moderator, post=posts[-1], reason="Utanför ämnet")
        warn_user(session=session, actor=moderator, user=member, message="Håll dig till ämnet.")
    session.commit()


def test_every_page_is_valid_html(app, db_session, tmp_path):
    java_and_vnu()  # skip early, before collecting, where the checker is missing
    seed_demo(db_session)
    seed_glossary(db_session)
    db_session.commit()
    _moderation_to_show(app, db_session)
    paths = get_paths(app, db_session) + EXTRA
    pages: dict[str, str] = {}
    for language in ("sv", "en"):
        with Session(app.extensions["forum_engine"]) as session:
            for role in ROLES[1:]:
                demo_user(session, role).locale = language
            session.commit()
        for role in ROLES:
            client = app.test_client()
            if role:
                login_as(client, demo_user(db_session, role))
            pages.update(_pages_of(client, role, language, paths))
    assert len(pages) > 300
    errors = html_errors(pages, tmp_path / "pages")
    assert errors == [], f"{len(errors)} errors on {len(pages)} pages:\n" + "\n".join(errors)


def test_the_checker_names_the_page_and_the_error(tmp_path):
    """The harness itself: an invalid page among valid ones is reported under its label."""
    valid = '<!DOCTYPE html><html lang="sv"><head><title>Ok</title></head><body></body></html>'
    invalid = valid.replace("<body>", '<body><p id="a"></p><p id="a"></p>')
    errors = html_errors({"first": valid, "second": invalid}, tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("second:1: Duplicate ID “a”.")
