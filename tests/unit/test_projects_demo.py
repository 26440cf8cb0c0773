"""The demo projects and lessons: created once, published, marked as demo, safe to run again."""

from __future__ import annotations

from sqlmodel import func, select

from forum.accounts.demo import seed_demo_accounts
from forum.discussions.models import Thread
from forum.lessons.demo import seed_demo_lessons
from forum.lessons.models import Lesson, LessonStatus
from forum.projects.demo import seed_demo_projects
from forum.projects.models import Project


def test_demo_projects_are_seeded_once(app, db_session):
    with app.test_request_context("/"):
        seed_demo_accounts(db_session)
        lines = seed_demo_projects(db_session)
        assert seed_demo_lessons(db_session)[0].startswith("Demo lessons: ")
        db_session.commit()
        assert "Västra Hamnen" in lines[0]
        projects = db_session.exec(select(Project).order_by(Project.slug)).all()
        assert [p.slug for p in projects] == [
            "botildenborg",
            "klimatkontrakt-hyllie",
            "siptex",
            "vastra-hamnen-bo01",
        ]
        assert all(p.is_demo for p in projects)
        lessons = db_session.exec(select(Lesson)).all()
        assert len(lessons) >= 4 and all(
            x.is_demo and x.status == LessonStatus.published and x.thread_id for x in lessons
        )
        assert {x.language for x in lessons} == {"sv", "en"}
        assert any(x.featured for x in lessons)
        hyllie = next(p for p in projects if p.slug == "klimatkontrakt-hyllie")
        assert db_session.exec(
            select(Thread).where(Thread.project_id == hyllie.id, Thread.kind == "discussion")
        ).first()
        assert seed_demo_projects(db_session) == ["Demo projects: already there."]
        assert seed_demo_lessons(db_session) == ["Demo lessons: already there."]
        assert db_session.exec(select(func.count()).select_from(Project)).one() == 4


def test_demo_pages_render(app, client, db_session):
    with app.test_request_context("/"):
        seed_demo_accounts(db_session)
        seed_demo_projects(db_session)
        seed_demo_lessons(db_session)
        db_session.commit()
    assert (
        "Demoinnehåll" in client.get("/projects?lang=sv").text
        or "Demo content" in client.get("/projects").text
    )
    for lesson in db_session.exec(select(Lesson)):
        assert client.get(f"/lessons/{lesson.id}-{lesson.slug}").status_code == 200
    assert client.get("/lessons.json").json["count"] == len(db_session.exec(select(Lesson)).all())
