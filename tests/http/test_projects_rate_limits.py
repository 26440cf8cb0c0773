"""Creating projects and lessons is rate-limited per user; previews and invalid forms do not
count."""

from __future__ import annotations

from forum import create_app
from forum.extensions import limiter
from tests.factories import lesson_form, login_as, make_project_with_lesson, make_user, project_form


def _app(app_settings, **settings):
    app = create_app({**app_settings, "RATELIMIT_ENABLED": True, **settings})
    limiter.reset()
    return app


def test_project_creation_limit_per_user(app_settings, db_session):
    app = _app(app_settings, PROJECTS_CREATE_LIMIT="2 per hour")
    client = app.test_client()
    first, second = make_user(db_session), make_user(db_session)
    login_as(client, first)
    assert (
        client.post("/projects/new", data=project_form(db_session, name="")).status_code == 422
    )  # not counted
    assert (
        client.post(
            "/projects/new", data=project_form(db_session, action="add_partner")
        ).status_code
        == 200
    )
    statuses = [
        client.post(
            "/projects/new", data=project_form(db_session, name=f"Projekt {n}", slug=f"projekt-{n}")
        ).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]
    assert client.get("/projects/new").status_code == 200  # GET is never limited
    login_as(client, second)  # another user has a limit of their own
    assert (
        client.post(
            "/projects/new", data=project_form(db_session, name="Projekt X", slug="projekt-x")
        ).status_code
        == 303
    )
    limiter.reset()
    app.extensions["forum_engine"].dispose()


def test_lesson_creation_limit_counts_drafts_not_previews(app_settings, db_session):
    app = _app(app_settings, LESSONS_CREATE_LIMIT="2 per hour")
    with app.test_request_context():
        project, _lesson = make_project_with_lesson(db_session)
    client = app.test_client()
    login_as(client, make_user(db_session))
    assert (
        client.post(
            "/lessons/new", data=lesson_form(db_session, project, action="preview")
        ).status_code
        == 200
    )
    assert (
        client.post("/lessons/new", data=lesson_form(db_session, project, title="")).status_code
        == 422
    )
    statuses = [
        client.post(
            "/lessons/new", data=lesson_form(db_session, project, title=f"Lärdom nummer {n}")
        ).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]
    limiter.reset()
    app.extensions["forum_engine"].dispose()
