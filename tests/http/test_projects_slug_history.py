"""A renamed project keeps its old addresses: 301 to the current slug (308 for a POST)."""

from __future__ import annotations

from sqlmodel import select

from forum.projects import queries as project_queries
from forum.projects.models import ProjectSlugHistory
from tests.factories import login_as, make_user, project_form


def test_old_slug_redirects_after_rename_and_chain(app, client, db_session):
    owner = make_user(db_session)
    login_as(client, owner)
    response = client.post(
        "/projects/new", data=project_form(db_session, name="Solbyn", slug="solbyn")
    )
    assert response.status_code == 303
    assert (
        client.post(
            "/projects/solbyn/edit",
            data=project_form(db_session, name="Solbyn", slug="solbyn-lund"),
        ).status_code
        == 303
    )
    moved = client.get("/projects/solbyn")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/projects/solbyn-lund")
    history = client.get("/projects/solbyn/history?x=1")
    assert history.status_code == 301 and history.headers["Location"].endswith(
        "/projects/solbyn-lund/history?x=1"
    )
    replay = client.post(
        "/projects/solbyn/edit", data=project_form(db_session, name="Solbyn", slug="solbyn-2")
    )
    assert replay.status_code == 308 and replay.headers["Location"].endswith(
        "/projects/solbyn-lund/edit"
    )
    # renamed again: both earlier addresses lead to the current one
    assert (
        client.post(
            "/projects/solbyn-lund/edit",
            data=project_form(db_session, name="Solbyn", slug="solbyn-3"),
        ).status_code
        == 303
    )
    for old in ("solbyn", "solbyn-lund"):
        response = client.get(f"/projects/{old}")
        assert response.status_code == 301 and response.headers["Location"].endswith(
            "/projects/solbyn-3"
        )
    assert client.get("/projects/solbyn-3").status_code == 200
    assert client.get("/projects/never-existed").status_code == 404


def test_back_to_an_old_slug_and_a_new_project_taking_one(app, client, db_session):
    owner = make_user(db_session)
    login_as(client, owner)
    client.post("/projects/new", data=project_form(db_session, name="Grönt tak", slug="gront-tak"))
    client.post(
        "/projects/gront-tak/edit",
        data=project_form(db_session, name="Grönt tak", slug="grona-tak"),
    )
    client.post(
        "/projects/grona-tak/edit",
        data=project_form(db_session, name="Grönt tak", slug="gront-tak"),
    )
    assert client.get("/projects/gront-tak").status_code == 200
    assert client.get("/projects/grona-tak").headers["Location"].endswith("/projects/gront-tak")
    assert db_session.exec(select(ProjectSlugHistory.slug)).all() == ["grona-tak"]
    # a new project may take a freed old address: the live project wins, the redirect is gone
    response = client.post(
        "/projects/new", data=project_form(db_session, name="Gröna tak", slug="grona-tak")
    )
    assert response.status_code == 303
    assert client.get("/projects/grona-tak").status_code == 200
    assert db_session.exec(select(ProjectSlugHistory)).all() == []
    assert (
        project_queries.get_project_by_slug(session=db_session, slug="grona-tak").name
        == "Gröna tak"
    )
