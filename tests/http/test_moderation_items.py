"""Reports on lessons and projects: the report link on their pages, the queue, resolving and
warning."""

from __future__ import annotations

from sqlmodel import select

from forum.moderation.models import Report, ReportStatus, UserWarning
from tests.factories import login_as, make_project_with_lesson, make_user


def test_lesson_and_project_can_be_reported_and_resolved(app, client, db_session):
    author = make_user(db_session, display_name="Projektägare Per")
    with app.test_request_context("/"):
        project, lesson = make_project_with_lesson(db_session, author)
    reporter = make_user(db_session)
    login_as(client, reporter)
    lesson_page = client.get(f"/lessons/{lesson.id}", follow_redirects=True).get_data(as_text=True)
    assert f'id="report-lesson-{lesson.id}"' in lesson_page
    project_page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert f'id="report-project-{project.id}"' in project_page
    assert (
        client.post(
            "/report",
            data={"item_type": "lesson", "item_id": str(lesson.id), "reason": "misinformation"},
        ).status_code
        == 303
    )
    assert (
        client.post(
            "/report",
            data={
                "item_type": "project",
                "item_id": str(project.id),
                "reason": "personal_data",
                "comment": "Telefonnummer",
            },
        ).status_code
        == 303
    )
    assert "Anmäld" in client.get(f"/lessons/{lesson.id}", follow_redirects=True).get_data(
        as_text=True
    )

    moderator = make_user(db_session, role="moderator")
    mod = app.test_client()
    login_as(mod, moderator)
    queue = mod.get("/mod/queue").get_data(as_text=True)
    assert f'id="queue-lesson-{lesson.id}"' in queue and f'id="queue-project-{project.id}"' in queue
    assert "Projektägare Per" in queue and "Telefonnummer" in queue
    response = mod.post(
        f"/mod/queue/lesson/{lesson.id}/resolve",
        data={"reason": "Siffrorna rättade av författaren"},
    )
    assert response.status_code == 303
    response = mod.post(
        f"/mod/users/{author.id}/warn",
        data={
            "message": "Ta bort telefonnumret",
            "item_type": "project",
            "item_id": str(project.id),
            "context": "queue",
        },
    )
    assert response.status_code == 303
    db_session.expire_all()
    assert {r.status for r in db_session.exec(select(Report))} == {ReportStatus.resolved}
    assert db_session.exec(select(UserWarning)).one().user_id == author.id
    assert "Inga öppna anmälningar" in mod.get("/mod/queue").get_data(as_text=True)
