"""Previews and posts of crafted Markdown: refused with the reason and the form kept filled,
rendered once, and limited per member."""

from __future__ import annotations

import pytest
from limits import parse_many
from sqlmodel import func, select

from forum import create_app, markup
from forum.config import Config
from forum.discussions.models import Post, Thread
from forum.extensions import limiter
from forum.lessons.models import Lesson
from tests.factories import DEFAULT_PASSWORD, login_as, make_thread, make_user
from tests.factories import lesson_form as lesson_form_data
from tests.http.test_rate_limits_shared import running_web
from tests.processes import Browser

HX = {"HX-Request": "true", "Accept-Language": "en"}
EN = {"Accept-Language": "en"}
WIDE_TABLE = "|" + "x|" * 500 + "\n|" + "-|" * 500 + "\n" + ("|" + "x|" * 500 + "\n") * 40
BRACKETS = "[" * 20_000


def _rows(db_session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def writer(db_session):
    return make_user(db_session, display_name="Vera Skribent", locale="en")


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The texts ``forum.markup`` parses, in order."""
    seen: list[str] = []
    original = markup._render

    def counting(source, **kwargs):
        seen.append(source)
        return original(source, **kwargs)

    monkeypatch.setattr(markup, "_render", counting)
    return seen


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (WIDE_TABLE, "A table may have at most 30 columns."),
        (BRACKETS, "This text has too much markup to show."),
    ],
)
def test_htmx_preview_of_crafted_markdown_is_refused_with_the_reason(client, writer, body, message):
    login_as(client, writer)
    response = client.post("/threads/preview", data={"title": "Tabell", "body": body}, headers=HX)
    assert response.status_code == 422 and message in response.text
    assert "<html" not in response.text and "<table" not in response.text


def test_preview_without_js_of_crafted_markdown_keeps_the_form_filled(client, db_session, writer):
    login_as(client, writer)
    response = client.post(
        "/threads/new",
        data={
            "theme": "klimatneutral-framtid",
            "title": "En bred tabell",
            "body": WIDE_TABLE,
            "preview": "1",
        },
        headers=EN,
    )
    assert response.status_code == 422
    assert "A table may have at most 30 columns." in response.text
    assert 'value="En bred tabell"' in response.text and "|x|x|x|" in response.text
    assert _rows(db_session, Thread) == 0


def test_a_preview_renders_the_text_once(client, writer, renders):
    login_as(client, writer)
    body = "Dagvatten i **Augustenborg**, öppna diken och gröna tak."
    response = client.post(
        "/threads/preview", data={"title": "Dagvatten", "body": body}, headers=HX
    )
    assert response.status_code == 200 and "<strong>Augustenborg</strong>" in response.text
    assert renders == [body]


def test_crafted_markdown_is_not_saved_and_the_form_comes_back(client, db_session, writer):
    thread, _ = make_thread(db_session, writer)
    login_as(client, writer)
    started = client.post(
        "/threads/new",
        data={"theme": "klimatneutral-framtid", "title": "Hakparenteser", "body": BRACKETS},
        headers=EN,
    )
    assert started.status_code == 422 and "too much markup" in started.text
    assert 'value="Hakparenteser"' in started.text
    replied = client.post(
        f"/threads/{thread.id}/replies", data={"reply-body": WIDE_TABLE}, headers=EN
    )
    assert replied.status_code == 422 and "at most 30 columns" in replied.text
    assert _rows(db_session, Thread) == 1 and _rows(db_session, Post) == 1


def test_lesson_sections_share_one_budget(client, db_session, project, member):
    table = "|" + "a|" * 20 + "\n|" + "-|" * 20 + "\n" + ("|" + "a|" * 20 + "\n") * 40  # 840 cells
    data = lesson_form_data(db_session, project, context=table, results=table, advice=table)
    login_as(client, member)
    fragment = client.post("/lessons/preview", data=data, headers=HX)
    assert fragment.status_code == 422 and "at most 2000 cells in all" in fragment.text
    page = client.post("/lessons/new", data={**data, "action": "preview"}, headers=EN)
    assert page.status_code == 422 and "at most 2000 cells in all" in page.text
    saved = client.post("/lessons/new", data={**data, "action": "publish"}, headers=EN)
    assert saved.status_code == 422 and "at most 2000 cells in all" in saved.text
    assert _rows(db_session, Lesson) == 0


def test_previews_are_limited_per_member_across_forms(app_settings, db_session, project):
    app = create_app({**app_settings, "RATELIMIT_ENABLED": True, "RATELIMIT_PREVIEW": "3 per hour"})
    limiter.reset()
    try:
        first, second = make_user(db_session, locale="en"), make_user(db_session, locale="en")
        client = app.test_client()
        login_as(client, first)
        text = {"title": "Förhandsgranskning", "body": "Några *ord* om dagvatten."}
        statuses = [
            client.post("/threads/preview", data=text, headers=HX).status_code,
            client.post(
                "/threads/new", data={**text, "theme": "klimatneutral-framtid", "preview": "1"}
            ).status_code,
            client.post(
                "/lessons/preview", data=lesson_form_data(db_session, project), headers=HX
            ).status_code,
        ]
        refused = client.post("/threads/preview", data=text, headers=HX)
        assert statuses == [200, 200, 200] and refused.status_code == 429
        assert "You asked for many previews in a short time." in refused.text
        page = client.post(
            "/threads/new",
            data={**text, "theme": "klimatneutral-framtid", "preview": "1"},
            headers=EN,
        )
        assert page.status_code == 429 and 'value="Förhandsgranskning"' in page.text
        # Saving is not a preview: the thread is still created.
        saved = client.post("/threads/new", data={**text, "theme": "klimatneutral-framtid"})
        assert saved.status_code == 303
        login_as(client, second)  # another member has a budget of their own
        assert client.post("/threads/preview", data=text, headers=HX).status_code == 200
    finally:
        limiter.reset()
        app.extensions["forum_engine"].dispose()


def test_a_biography_over_the_budget_comes_back_on_the_form(client, db_session, writer):
    login_as(client, writer)
    bio = "@" * 2000  # each a candidate for an e-mail autolink
    response = client.post(
        "/settings/profile",
        data={"display_name": writer.display_name, "actor_type": "individual", "bio": bio},
        headers=EN,
    )
    assert response.status_code == 422 and "at most 1000 links and addresses" in response.text
    assert bio in response.text
    db_session.expire_all()
    assert db_session.get(type(writer), writer.id).bio == ""


def test_the_preview_limit_holds_across_gunicorn_workers(
    app_settings, db_session, redis_server, tmp_path
):
    """Two workers (the Procfile's web line) counting in one Redis: the 31st preview in a minute
    is refused whichever worker takes it."""
    member = make_user(db_session, email="forhand@example.org", password=DEFAULT_PASSWORD)
    limit = min(item.amount for item in parse_many(Config.RATELIMIT_PREVIEW))
    with running_web(app_settings, redis_server.limits_uri, tmp_path / "web.log") as url:
        browser = Browser(url)
        token = browser.csrf_token("/login")
        login = {"csrf_token": token, "email": member.email, "password": DEFAULT_PASSWORD}
        assert browser.request("/login", login)[0] == 200  # after the redirect
        form = {
            "csrf_token": browser.csrf_token("/threads/new"),
            "theme": "klimatneutral-framtid",
            "title": "Förhandsgranskning",
            "body": "Några *ord* om dagvatten.",
            "preview": "1",
        }
        statuses = []
        for _ in range(0, limit + 2, 2):  # each pair reaches both workers
            held = browser.post_held("/threads/new", form)
            statuses.append(browser.request("/threads/new", form)[0])
            statuses.append(held()[0])
    assert statuses == [200] * limit + [429, 429]


def test_an_invitation_preview_over_the_budget_names_the_limit(client, db_session):
    admin = make_user(db_session, role="admin", locale="en")
    login_as(client, admin)
    texts = {"subject_sv": "Studiebesök", "body_sv": WIDE_TABLE, "subject_en": "", "body_en": ""}
    fragment = client.post("/admin/invitations/preview", data=texts, headers=HX)
    assert fragment.status_code == 422 and "at most 30 columns" in fragment.text
    page = client.post("/admin/invitations/new", data={**texts, "preview": "1"}, headers=EN)
    assert page.status_code == 422 and 'value="Studiebesök"' in page.text
