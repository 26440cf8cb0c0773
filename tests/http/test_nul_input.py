"""NUL characters never reach the database (PostgreSQL cannot store them)."""

from __future__ import annotations

from sqlmodel import select

from forum.core.models import Theme
from forum.discussions.models import Post, Thread
from tests.factories import login_as, make_user


def test_nul_is_dropped_from_form_input(client, db_session):
    user = make_user(db_session)
    login_as(client, user)
    theme = db_session.exec(select(Theme)).first()
    response = client.post(
        "/threads/new",
        data={
            "theme": theme.slug,
            "title": "Dag\x00vatten i Augustenborg",
            "body": "Hur gick det\x00 med de öppna dikena?",
            "language": "sv",
        },
    )
    assert response.status_code == 303
    thread = db_session.exec(select(Thread)).one()
    post = db_session.exec(select(Post)).one()
    assert thread.title == "Dagvatten i Augustenborg"
    assert post.body == "Hur gick det med de öppna dikena?"


def test_nul_is_dropped_from_query_arguments(app):
    with app.test_request_context("/search?q=klimat%00kontrakt&x%00y=1"):
        from flask import request

        assert request.args["q"] == "klimatkontrakt"
        assert request.args["xy"] == "1"
