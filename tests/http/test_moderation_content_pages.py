"""Hidden lessons and projects over HTTP: the notice for members, greyed with a restore control for
moderators, gone from lists, exports and search; the queue's hide action; htmx answers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from forum.lessons.models import Lesson
from forum.projects.models import Project
from forum.search import get_search_service
from tests.factories import client_as, make_project_with_lesson, make_report, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, db_session):
    with app.test_request_context():
        project, lesson = make_project_with_lesson(db_session)
        make_report(db_session, "lesson", lesson.id, comment="Konsultreklam")
    db_session.commit()
    get_search_service(app).apply_pending()
    moderator, member = make_user(db_session, role="moderator"), make_user(db_session)
    return {"project": project, "lesson": lesson, "moderator": moderator, "member": member}


def _search(client, query: str) -> str:
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    start = html.find('<ol class="search-list"')
    return html[start : html.index("</ol>", start)] if start >= 0 else ""


def test_hidden_lesson_notice_lists_exports_and_search(app, db_session, world):
    lesson, project = world["lesson"], world["project"]
    mod, reader = client_as(app, world["moderator"]), client_as(app, world["member"])
    url = f"/lessons/{lesson.id}-{lesson.slug}"
    assert "andelsägande" in _search(reader, "andelsägande")
    response = mod.post(f"/mod/lessons/{lesson.id}/hide", data={"reason": "Konsultreklam"})
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    get_search_service(app).apply_pending()

    html = reader.get(url).get_data(as_text=True)
    assert "Dold av en moderator: Konsultreklam" in html
    assert "Solpark med andelsägande" not in html and "Invånarna ville äga energin" not in html
    assert "Solpark med andelsägande" not in reader.get("/lessons").get_data(as_text=True)
    assert "Solpark med andelsägande" not in reader.get(f"/projects/{project.slug}").get_data(
        as_text=True
    )
    assert json.loads(reader.get("/lessons.json").get_data(as_text=True))["lessons"] == []
    assert (
        len(list(csv.DictReader(io.StringIO(reader.get("/lessons.csv").get_data(as_text=True)))))
        == 0
    )
    assert "andelsägande" not in _search(reader, "andelsägande")
    assert reader.post(f"/lessons/{lesson.id}/useful").status_code == 403

    html = mod.get(url).get_data(as_text=True)
    assert (
        "item-hidden" in html
        and "Invånarna ville äga energin" in html
        and 'data-mod-action="restore"' in html
    )
    assert "item-hidden" in mod.get(f"/projects/{project.slug}").get_data(as_text=True)

    assert mod.post(f"/mod/lessons/{lesson.id}/restore", data={}).status_code == 303
    get_search_service(app).apply_pending()
    assert "Invånarna ville äga energin" in reader.get(url).get_data(as_text=True)
    assert "Solpark med andelsägande" in reader.get("/lessons").get_data(as_text=True)
    assert "andelsägande" in _search(reader, "andelsägande")


def test_hidden_project_notice_list_and_search(app, db_session, world):
    project = world["project"]
    mod, reader = client_as(app, world["moderator"]), client_as(app, world["member"])
    assert "search-hit-project" in _search(reader, "solparken")
    html = mod.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert f"/mod/projects/{project.id}/hide" in html and 'data-mod-action="hide"' in html
    assert (
        mod.post(f"/mod/projects/{project.id}/hide", data={"reason": "Finns inte"}).status_code
        == 303
    )
    get_search_service(app).apply_pending()
    html = reader.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Dold av en moderator: Finns inte" in html and "En solpark på kommunens mark" not in html
    assert "Solparken i Lund" not in reader.get("/projects").get_data(as_text=True)
    assert "search-hit-project" not in _search(reader, "solparken")  # its lesson stays (own state)
    assert reader.get(f"/projects/{project.slug}/edit").status_code == 403
    assert "En solpark på kommunens mark" in mod.get(f"/projects/{project.slug}").get_data(
        as_text=True
    )
    assert mod.post(f"/mod/projects/{project.id}/restore", data={}).status_code == 303
    get_search_service(app).apply_pending()
    assert "Solparken i Lund" in reader.get("/projects").get_data(as_text=True)
    assert "search-hit-project" in _search(reader, "solparken")


def test_hide_form_htmx_fragment_422_and_reload(app, db_session, world):
    lesson = world["lesson"]
    mod = client_as(app, world["moderator"])
    form = mod.get(f"/mod/lessons/{lesson.id}/hide", headers=HX)
    assert form.status_code == 200 and "<html" not in form.get_data(as_text=True)
    assert 'name="reason"' in form.get_data(as_text=True)
    bad = mod.post(f"/mod/lessons/{lesson.id}/hide", data={"reason": " "}, headers=HX)
    assert bad.status_code == 422 and "Ange ett skäl" in bad.get_data(as_text=True)
    done = mod.post(f"/mod/lessons/{lesson.id}/hide", data={"reason": "Spam"}, headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith(
        f"/lessons/{lesson.id}-{lesson.slug}"
    )
    again = mod.post(f"/mod/lessons/{lesson.id}/hide", data={"reason": "Spam"})
    assert again.status_code == 409  # already hidden, as for posts
    db_session.expire_all()
    assert db_session.get(Lesson, lesson.id).hidden_reason == "Spam"
    assert mod.get("/mod/lessons/999999/hide").status_code == 404
    assert mod.post("/mod/projects/999999/restore").status_code == 404


def test_queue_offers_hide_for_lessons_and_settles_the_entry(app, db_session, world):
    lesson, project = world["lesson"], world["project"]
    mod = client_as(app, world["moderator"])
    html = mod.get("/mod/queue").get_data(as_text=True)
    assert f"/mod/lessons/{lesson.id}/hide" in html
    response = mod.post(
        f"/mod/lessons/{lesson.id}/hide",
        headers=HX,
        data={"reason": "Reklam", "context": "queue", "next": "/mod/queue"},
    )
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Lesson, lesson.id).hidden_at is not None
    assert f"queue-lesson-{lesson.id}" not in mod.get("/mod/queue").get_data(as_text=True)
    assert db_session.get(Project, project.id).hidden_at is None
