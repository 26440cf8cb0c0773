"""Lesson pages: list, lesson page, writing lessons, useful marks, featuring, open data."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions.models import Thread
from forum.lessons.models import Lesson, LessonOutcome, LessonStatus
from tests.factories import (
    LESSON_SV,
    goal,
    lesson_form,
    login_as,
    make_lesson,
    make_user,
    theme,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def lesson(app, db_session, member, project):
    """A published Swedish lesson of ``project`` by ``member`` (:data:`LESSON_SV`)."""
    with app.test_request_context("/"):
        return make_lesson(db_session, project, member, **LESSON_SV)


# --- reading ----------------------------------------------------------------------------------
def test_lesson_page_sections_outcomes_and_licence(client, lesson):
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


def test_every_problem_of_a_lesson_is_shown_in_one_round(client, db_session, member, project):
    """A missing theme and project are reported together with a bad outcome and an empty
    section, not one round at a time; every required field is marked."""
    login_as(client, member)
    form = lesson_form(
        db_session,
        project,
        project_id="",
        theme_id="",
        advice="",
        links="www.example.org",
        **{"outcomes-0-value": "mycket"},
    )
    response = client.post("/lessons/new?lang=en", data=form)
    assert response.status_code == 422
    for message in (
        "Choose a project from the list.",
        "Choose a theme.",
        "This field is required.",
        "Write the value as a number",
        "one web address starting with http:// or https://",
    ):
        assert message in response.text, message
    # one message per field: the form's and the service's checks never repeat each other
    assert response.text.count("This section is required.") == 0
    marked = re.findall(r'<label class="required" for="([\w-]+)">', response.text)
    assert set(marked) >= {"project_id", "title", "theme_id", "context", "what_was_done", "advice"}


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


def test_edit_lesson_shows_current_outcomes_and_saves(client, db_session, member, project, lesson):
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
def test_lesson_permission_matrix(client, db_session, member, lesson, who, edit, feature):
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


def test_useful_mark_plain_and_htmx(client, db_session, member, lesson):
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


def test_reply_below_a_lesson_uses_the_discussion(client, db_session, lesson):
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
    rows = list(csv.DictReader(io.StringIO(table.text.removeprefix("\ufeff")), delimiter=";"))
    assert {row["title"] for row in rows} == {lesson.title, "Another lesson in English"}
    assert all(row["licence"].startswith("CC BY 4.0") for row in rows)
    row = next(r for r in rows if r["id"] == str(lesson.id))
    assert row["outcomes"] == "Förnybar andel: 100 %" and row["goals"] == "7"
    assert client.get("/lessons.csv?type=gossip").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=nonsense", "Choose a lesson type from the list."),
        ("project=no-such-project", "There is no project at this address."),
        ("sort=sideways", "Choose how to sort the lessons."),
    ],
)
def test_the_json_export_answers_a_bad_filter_in_json(client, query, message):
    response = client.get(f"/lessons.json?{query}&lang=en")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "error": {"code": "bad_request", "status": 400, "title": "Bad request", "message": message}
    }
    missing = client.get("/lessons/none.json")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
