"""Project and lesson pages over HTTP: plain and htmx, permissions, bad input, drafts, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions.models import Thread
from forum.projects.lessons import OutcomeInput
from forum.projects.models import Lesson, LessonOutcome, LessonStatus, Project, ProjectRevision
from forum.projects.service import PartnerInput
from tests.factories import (
    goal,
    lesson_form,
    login_as,
    make_lesson,
    make_project,
    make_thread,
    make_user,
    project_form,
    theme,
)

HX = {"HX-Request": "true"}


# The lesson of these tests: in Swedish, with one measured outcome.
LESSON_SV = dict(
    title="Lokal förnybar energi i en hel stadsdel",
    language="sv",
    context="Gammal industrimark.",
    what_was_done="Vind och sol.",
    advice="Planera energin tidigt.",
    results="",
    links="",
    outcomes=[OutcomeInput("Förnybar andel", "100", "%")],
)


@pytest.fixture
def member(db_session):
    return make_user(db_session, display_name="Maja Medlem", locale="en")


@pytest.fixture
def project(app, db_session, member):
    with app.test_request_context("/"):
        return make_project(
            db_session,
            member,
            start_year=None,
            end_year=None,
            summary="Bo01.",
            website="",
            goal_ids=[goal(db_session, 11).id],
            partners=[PartnerInput("Malmö stad", "public")],
        )


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


def test_lesson_page_sections_outcomes_and_licence(app, client, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    response = client.get(f"/lessons/{lesson.id}", follow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"].endswith(
        f"/lessons/{lesson.id}-{lesson.slug}"
    )
    page = client.get(f"/lessons/{lesson.id}-{lesson.slug}?lang=en")
    assert page.status_code == 200
    for text in (
        "Context and challenge",
        "What was done",
        "Advice for others",
        "Measured outcomes",
        "Förnybar andel",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Discussion",
    ):
        assert text in page.text
    assert "What did not work" not in page.text  # empty sections are left out
    fragment = client.get(f"/lessons/{lesson.id}-{lesson.slug}", headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text


def test_lesson_list_filters_and_sorts(app, client, db_session, member, project):
    with app.test_request_context("/"):
        a = make_lesson(db_session, project, member, **LESSON_SV)
        b = make_lesson(
            db_session,
            project,
            member,
            **{**LESSON_SV, "title": "Grönytefaktor i praktiken", "language": "en"},
            lesson_type="tool",
            goal_ids=[goal(db_session, 15).id],
        )
    page = client.get("/lessons")
    assert a.title in page.text and b.title in page.text
    assert b.title not in client.get("/lessons?type=technical_solution").text
    assert a.title not in client.get("/lessons?language=en&sort=newest", headers=HX).text
    assert a.title not in client.get("/lessons?sdg=15").text
    assert (
        a.title
        in client.get(f"/lessons?project={project.slug}&theme={theme(db_session).slug}").text
    )
    for query in ("type=gossip", "language=de", "sort=random", "project=nope"):
        assert client.get(f"/lessons?{query}").status_code == 400


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
        ({"contact_name": "Ingen Alls"}, "No forum member has that name."),
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


# --- writing lessons --------------------------------------------------------------------------
def test_lesson_draft_is_visible_only_to_its_author(client, db_session, member, project):
    login_as(client, member)
    response = client.post("/lessons/new", data=lesson_form(db_session, project))
    assert response.status_code == 303
    lesson = db_session.exec(select(Lesson)).one()
    assert lesson.status == LessonStatus.draft
    assert [(o.label, o.value) for o in db_session.exec(select(LessonOutcome))] == [
        ("Förnybar energi", 100.0)
    ]
    url = response.headers["Location"]
    assert client.get(url).status_code == 200
    assert lesson.title in client.get("/lessons").text  # "your drafts"
    for other in (make_user(db_session), make_user(db_session, role=Role.moderator)):
        login_as(client, other)
        assert client.get(url).status_code == 404
        assert lesson.title not in client.get("/lessons").text
        assert lesson.title not in client.get("/projects/vastra-hamnen").text
        assert client.get(f"/lessons/{lesson.id}/edit").status_code == 404
    client.get("/logout")
    with client.session_transaction() as sess:
        sess.clear()
    assert client.get(url).status_code == 404
    assert lesson.title not in client.get("/lessons.json").text


def test_publish_from_the_form_and_from_the_draft(client, db_session, member, project):
    login_as(client, member)
    client.post("/lessons/new", data=lesson_form(db_session, project))
    draft = db_session.exec(select(Lesson)).one()
    assert client.post(f"/lessons/{draft.id}/publish").status_code == 303
    db_session.refresh(draft)
    assert draft.status == LessonStatus.published and draft.thread_id is not None
    response = client.post(
        "/lessons/new",
        data=lesson_form(db_session, project, title="Direkt publicerad lärdom", action="publish"),
    )
    assert response.status_code == 303
    published = db_session.exec(
        select(Lesson).where(Lesson.title == "Direkt publicerad lärdom")
    ).one()
    assert published.is_published and db_session.get(Thread, published.thread_id).kind == "lesson"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"context": ""}, "This field is required."),
        ({"what_was_done": "   "}, "This field is required."),
        ({"advice": ""}, "This field is required."),
        ({"project_id": "9999"}, "Choose a project from the list."),
        ({"project_id": "abc"}, "Choose a project from the list."),
        ({"outcomes-0-value": "mycket"}, "Write the value as a number"),
        ({"outcomes-0-label": ""}, "Each measured outcome needs a label."),
        ({"links": "www.example.org"}, "one web address starting with http:// or https://"),
        ({"title": "x" * 201}, "Field must be between 5 and 200 characters long."),
        ({"context": "x" * 20001}, "Field cannot be longer than 20000 characters."),
    ],
)
def test_bad_lesson_input_comes_back_filled(
    client, db_session, member, project, overrides, message
):
    login_as(client, member)
    form = lesson_form(db_session, project, **overrides)
    for headers in ({}, HX):
        response = client.post("/lessons/new?lang=en", data=form, headers=headers)
        assert response.status_code == 422, response.text[:500]
        assert message in response.text
        assert "Bestäm uppföljningen från början." in response.text or overrides.get("advice") == ""
    assert db_session.exec(select(Lesson)).all() == []


def test_outcome_rows_add_remove_and_preview_without_js(client, db_session, member, project):
    login_as(client, member)
    added = client.post("/lessons/new", data=lesson_form(db_session, project, action="add_outcome"))
    assert added.status_code == 200 and 'name="outcomes-2-label"' in added.text
    removed = client.post(
        "/lessons/new", data={**lesson_form(db_session, project), "remove_outcome": "0"}
    )
    assert removed.status_code == 200 and "Förnybar energi" not in removed.text
    preview = client.post(
        "/lessons/new",
        data=lesson_form(db_session, project, action="preview", context="**Fet** text"),
    )
    assert (
        preview.status_code == 200
        and "<strong>Fet</strong>" in preview.text
        and 'value="100"' in preview.text
    )
    fragment = client.post(
        "/lessons/preview", data=lesson_form(db_session, project, context="*kursiv*"), headers=HX
    )
    assert (
        fragment.status_code == 200
        and "<em>kursiv</em>" in fragment.text
        and "<html" not in fragment.text
    )
    assert db_session.exec(select(Lesson)).all() == []


def test_edit_lesson_shows_current_outcomes_and_saves(client, app, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    login_as(client, member)
    form = client.get(f"/lessons/{lesson.id}/edit")
    assert 'value="Förnybar andel"' in form.text and 'value="100"' in form.text
    response = client.post(
        f"/lessons/{lesson.id}/edit",
        data=lesson_form(db_session, project, title="Ny titel på lärdomen"),
    )
    assert response.status_code == 303
    db_session.refresh(lesson)
    assert (
        lesson.title == "Ny titel på lärdomen"
        and db_session.get(Thread, lesson.thread_id).title == lesson.title
    )


@pytest.mark.parametrize(
    ("who", "edit", "feature"),
    [
        ("anonymous", 302, 302),
        ("unconfirmed", 403, 403),
        ("other member", 403, 403),
        ("author", 200, 403),
        ("moderator", 200, 303),
        ("admin", 200, 303),
    ],
)
def test_lesson_permission_matrix(client, app, db_session, member, project, who, edit, feature):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    users = {
        "unconfirmed": lambda: make_user(db_session, confirmed=False),
        "other member": lambda: make_user(db_session),
        "author": lambda: member,
        "moderator": lambda: make_user(db_session, role=Role.moderator),
        "admin": lambda: make_user(db_session, role=Role.admin),
    }
    if who in users:
        login_as(client, users[who]())
    allowed_anonymous = (302, 401)
    assert client.get(f"/lessons/{lesson.id}/edit").status_code in (
        allowed_anonymous if edit == 302 else (edit,)
    )
    assert client.post(f"/lessons/{lesson.id}/featured", data={"featured": "1"}).status_code in (
        allowed_anonymous if feature == 302 else (feature,)
    )
    db_session.refresh(lesson)
    assert lesson.featured is (feature == 303)


def test_useful_mark_plain_and_htmx(client, app, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    reader = make_user(db_session)
    login_as(client, reader)
    assert client.post(f"/lessons/{lesson.id}/useful").status_code == 303
    db_session.refresh(lesson)
    assert lesson.useful_count == 1
    fragment = client.post(f"/lessons/{lesson.id}/useful", headers=HX)
    assert (
        fragment.status_code == 200
        and "<html" not in fragment.text
        and 'aria-pressed="false"' in fragment.text
    )
    db_session.refresh(lesson)
    assert lesson.useful_count == 0
    login_as(client, member)  # authors do not mark their own lessons
    assert client.post(f"/lessons/{lesson.id}/useful").status_code == 403


def test_reply_below_a_lesson_uses_the_discussion(client, app, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    login_as(client, make_user(db_session))
    page = client.get(f"/lessons/{lesson.id}-{lesson.slug}")
    action = re.search(r'id="reply-form"[^>]*action="([^"]+)"', page.text).group(1)
    response = client.post(
        action, data={"reply-body": "Hur finansierades lagret?", "reply-language": ""}, headers=HX
    )
    assert response.status_code == 200
    assert "Hur finansierades lagret?" in client.get(f"/lessons/{lesson.id}-{lesson.slug}").text


def test_featured_lessons_on_home_and_theme_pages(client, app, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
        other = make_lesson(
            db_session,
            project,
            member,
            **{**LESSON_SV, "title": "En lärdom om dagvatten"},
            theme_id=theme(db_session, 2).id,
        )
    assert lesson.title not in client.get("/").text
    moderator = make_user(db_session, role=Role.moderator)
    login_as(client, moderator)
    for featured in (lesson, other):
        assert (
            client.post(f"/lessons/{featured.id}/featured", data={"featured": "1"}).status_code
            == 303
        )
    home = client.get("/").text
    assert lesson.title in home and other.title in home
    first_theme = theme(db_session).slug
    theme_page = client.get(f"/t/{first_theme}").text
    assert lesson.title in theme_page and other.title not in theme_page
    fragment = client.post(f"/lessons/{lesson.id}/featured", data={"featured": "0"}, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert lesson.title not in client.get("/").text


# --- open data --------------------------------------------------------------------------------
def test_exports_parse_back_and_match_the_database(client, app, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
        make_lesson(
            db_session,
            project,
            member,
            **{**LESSON_SV, "title": "Another lesson in English", "language": "en"},
        )
    login_as(client, member)
    client.post("/lessons/new", data=lesson_form(db_session, project, title="Ett hemligt utkast"))

    document = client.get("/lessons.json?language=sv")
    assert document.status_code == 200 and document.mimetype == "application/json"
    assert 'rel="license"' in document.headers["Link"]
    data = document.json
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["count"] == 1
    record = data["lessons"][0]
    assert record["id"] == lesson.id and record["title"] == lesson.title
    assert record["project"]["slug"] == project.slug
    assert record["outcomes"] == [{"label": "Förnybar andel", "value": 100.0, "unit": "%"}]
    assert record["goals"] == [7] and record["sections"]["advice"] == lesson.advice

    table = client.get("/lessons.csv")
    assert table.status_code == 200 and table.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {row["title"] for row in rows} == {lesson.title, "Another lesson in English"}
    assert all(row["licence"].startswith("CC BY 4.0") for row in rows)
    row = next(r for r in rows if r["id"] == str(lesson.id))
    assert row["outcomes"] == "Förnybar andel: 100 %" and row["goals"] == "7"
    assert client.get("/lessons.csv?type=gossip").status_code == 400


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
