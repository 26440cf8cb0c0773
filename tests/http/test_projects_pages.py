"""Project pages: list, project page, writing projects, the project of a thread."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions.models import Thread
from forum.lessons.models import Lesson
from forum.projects.models import Project, ProjectRevision
from tests.factories import (
    LESSON_SV,
    lesson_form,
    login_as,
    make_lesson,
    make_thread,
    make_user,
    project_form,
    theme,
)

HX = {"HX-Request": "true"}


# --- reading ----------------------------------------------------------------------------------
def test_project_list_plain_and_htmx(client, project):
    page = client.get("/projects")
    assert page.status_code == 200 and "<html" in page.text and "Västra Hamnen" in page.text
    fragment = client.get("/projects?status=completed", headers=HX)
    assert (
        fragment.status_code == 200
        and "<html" not in fragment.text
        and "Västra Hamnen" in fragment.text
    )
    assert "Västra Hamnen" not in client.get("/projects?status=planned").text
    assert fragment.headers["Vary"] == "HX-Request" or "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize(
    "query", ["status=abandoned", "sort=size", "theme=nope", "sdg=18", "page=0", "page=x"]
)
def test_project_list_bad_filters_are_400(client, query):
    response = client.get(f"/projects?{query}&lang=en")
    assert response.status_code == 400
    assert "<title>" in response.text


def test_project_page_shows_partners_lessons_and_threads(app, client, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    thread, _ = make_thread(
        db_session,
        member,
        "Hur går det med akviferen?",
        "Någon som vet?",
        language="sv",
        project_id=project.id,
    )
    page = client.get("/projects/vastra-hamnen")
    assert page.status_code == 200
    assert (
        "Malmö stad" in page.text
        and "Offentlig sektor" in page.text
        or "Public sector" in page.text
    )
    assert lesson.title in page.text and thread.title in page.text
    fragment = client.get("/projects/vastra-hamnen", headers=HX)
    assert "<html" not in fragment.text and lesson.title in fragment.text
    assert client.get("/projects/no-such-project").status_code == 404


# --- writing projects -------------------------------------------------------------------------
def test_create_project_plain_redirects_with_303(client, db_session, member):
    login_as(client, member)
    assert client.get("/projects/new").status_code == 200
    response = client.post("/projects/new", data=project_form(db_session))
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/projects/hyllie-klimatkontrakt"
    )
    project = db_session.exec(select(Project).where(Project.slug == "hyllie-klimatkontrakt")).one()
    assert project.creator_id == member.id and project.start_year == 2011
    assert "E.ON" in client.get("/projects/hyllie-klimatkontrakt").text


def test_create_project_htmx_gets_hx_location(client, db_session, member):
    login_as(client, member)
    response = client.post("/projects/new", data=project_form(db_session), headers=HX)
    assert (
        response.status_code == 204
        and response.headers["HX-Location"] == "/projects/hyllie-klimatkontrakt"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"start_year": "abc"}, "Not a valid integer value."),
        (
            {"start_year": "2015", "end_year": "2010"},
            "The end year cannot be before the start year.",
        ),
        ({"start_year": "1700"}, "Number must be between 1900 and 2100."),
        (
            {"website": "javascript:alert(1)"},
            "Enter a web address starting with http:// or https://.",
        ),
        ({"name": "x" * 300}, "Field must be between 2 and 160 characters long."),
        ({"slug": "vastra-hamnen"}, "A project with this address already exists."),
        ({"contact_name": "Ingen Alls"}, "No forum member has that handle or name."),
    ],
)
def test_bad_project_input_comes_back_filled(
    client, db_session, member, project, overrides, message
):
    login_as(client, member)
    form = project_form(db_session, **overrides)
    for headers in ({}, HX):
        response = client.post("/projects/new?lang=en", data=form, headers=headers)
        assert response.status_code == 422
        assert message in response.text
        assert 'value="E.ON"' in response.text  # nothing typed is lost
    assert headers == HX and "<html" not in response.text


def test_partner_rows_can_be_added_and_removed_without_js(client, db_session, member):
    login_as(client, member)
    added = client.post("/projects/new", data=project_form(db_session, action="add_partner"))
    assert added.status_code == 200 and 'name="partners-3-organisation"' in added.text
    removed = client.post("/projects/new", data={**project_form(db_session), "remove_partner": "0"})
    assert (
        removed.status_code == 200
        and 'value="Malmö stad"' not in removed.text
        and 'value="E.ON"' in removed.text
    )
    assert db_session.exec(select(Project)).all() == []


def test_edit_project_keeps_revision(client, db_session, member, project):
    login_as(client, member)
    form = client.get("/projects/vastra-hamnen/edit")
    assert form.status_code == 200 and 'value="Västra Hamnen"' in form.text
    response = client.post(
        "/projects/vastra-hamnen/edit",
        data=project_form(
            db_session, name="Västra Hamnen", slug="vastra-hamnen", summary="Ny text."
        ),
    )
    assert response.status_code == 303
    revision = db_session.exec(select(ProjectRevision)).one()
    assert revision.summary == "Bo01." and revision.edited_by_id == member.id
    assert "Bo01." in client.get("/projects/vastra-hamnen/history").text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("unconfirmed", 403),
        ("other member", 403),
        ("creator", 200),
        ("moderator", 200),
        ("admin", 200),
    ],
)
def test_project_edit_permission_matrix(client, db_session, member, project, who, status):
    users = {
        "unconfirmed": lambda: make_user(db_session, confirmed=False),
        "other member": lambda: make_user(db_session),
        "creator": lambda: member,
        "moderator": lambda: make_user(db_session, role=Role.moderator),
        "admin": lambda: make_user(db_session, role=Role.admin),
    }
    if who in users:
        login_as(client, users[who]())
    assert client.get("/projects/vastra-hamnen/edit").status_code in (
        (401, 302) if status == 302 else (status,)
    )
    post = client.post(
        "/projects/vastra-hamnen/edit",
        data=project_form(db_session, name="Ändrat namn", slug="vastra-hamnen"),
    )
    assert post.status_code in (
        (401, 302) if status == 302 else (303 if status == 200 else status,)
    )


# --- threads that name a project --------------------------------------------------------------
def test_new_thread_can_name_a_project(client, db_session, member, project):
    login_as(client, member)
    form = client.get(f"/threads/new?theme={theme(db_session).slug}")
    assert 'name="project"' in form.text and "Västra Hamnen (Malmö)" in form.text
    data = {
        "theme": theme(db_session).slug,
        "title": "Hur mår akviferlagret idag?",
        "body": "Någon som vet hur det går?",
        "language": "sv",
        "project": str(project.id),
    }
    assert client.post("/threads/new", data={**data, "project": "9999"}).status_code == 422
    response = client.post("/threads/new", data=data)
    assert response.status_code == 303
    thread = db_session.exec(
        select(Thread).where(Thread.title == "Hur mår akviferlagret idag?")
    ).one()
    assert thread.project_id == project.id
    assert "Hur mår akviferlagret idag?" in client.get("/projects/vastra-hamnen").text
    assert "Västra Hamnen" in client.get(response.headers["Location"]).text


@pytest.mark.parametrize(
    ("who", "status"),
    [("author", 303), ("moderator", 303), ("other member", 403), ("anonymous", 302)],
)
def test_thread_project_can_be_changed_by_author_or_moderator(
    app, client, db_session, member, project, who, status
):
    thread, _ = make_thread(db_session, member, "En tråd utan projekt", "Text.", language="sv")
    users = {
        "author": lambda: member,
        "moderator": lambda: make_user(db_session, role=Role.moderator),
        "other member": lambda: make_user(db_session),
    }
    if who in users:
        login_as(client, users[who]())
    response = client.post(f"/threads/{thread.id}/project", data={"project": str(project.id)})
    assert response.status_code in ((302, 401) if status == 302 else (status,))
    db_session.refresh(thread)
    assert thread.project_id == (project.id if status == 303 else None)
    if status == 303:
        assert client.get(f"/threads/{thread.id}/project").status_code == 200
        assert (
            client.post(f"/threads/{thread.id}/project", data={"project": "9999"}).status_code
            == 422
        )
        assert (
            client.post(
                f"/threads/{thread.id}/project", data={"project": ""}, headers=HX
            ).status_code
            == 204
        )
        db_session.refresh(thread)
        assert thread.project_id is None


def test_lesson_threads_keep_their_lesson_project(app, client, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    login_as(client, member)
    assert (
        client.post(f"/threads/{lesson.thread_id}/project", data={"project": ""}).status_code == 403
    )


def test_lessons_and_projects_are_searchable_drafts_never(client, db_session, member, project):
    login_as(client, member)
    form = lesson_form(
        db_session, project, what_did_not_work="Akviferpumparna frös fast i januari."
    )
    client.post("/lessons/new", data=form)
    lesson = db_session.exec(select(Lesson)).one()
    assert lesson.title not in client.get("/search?q=akviferpumparna").text
    client.post(f"/lessons/{lesson.id}/publish")
    found = client.get("/search?q=akviferpumparna").text
    assert lesson.title in found and f"/lessons/{lesson.id}" in found
    assert "/projects/vastra-hamnen" in client.get("/search?q=Bo01").text


@pytest.mark.parametrize(
    "path",
    [
        "/projects",
        "/projects/vastra-hamnen",
        "/projects/vastra-hamnen/history",
        "/projects/new",
        "/projects/vastra-hamnen/edit",
        "/lessons",
        "/lessons/new",
    ],
)
def test_every_page_plain_and_as_fragment(client, member, project, path):
    login_as(client, member)
    page, fragment = client.get(path), client.get(path, headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.text and "<html" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
