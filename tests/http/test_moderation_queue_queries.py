"""The review queue is built with a constant number of SQL statements, however many items wait."""

from __future__ import annotations

from tests.factories import login_as, make_project_with_lesson, make_report, make_thread, make_user
from tests.statements import recording


def _report_posts(app, db_session, how_many: int) -> None:
    with app.test_request_context():
        for n in range(how_many):
            _thread, posts = make_thread(db_session, replies=1, title=f"Tråd om solceller {n}")
            make_report(db_session, "post", posts[1].id)
        db_session.commit()


def _statements(app, client) -> int:
    with recording(app.extensions["forum_engine"]) as statements:
        response = client.get("/mod/queue")
    assert response.status_code == 200
    return len(statements)


def test_queue_uses_as_many_statements_for_many_items_as_for_few(app, client, db_session):
    login_as(client, make_user(db_session, role="moderator"))
    with app.test_request_context():
        project, lesson = make_project_with_lesson(db_session)
        for item_type, item_id in (("project", project.id), ("lesson", lesson.id)):
            make_report(db_session, item_type, item_id)
        db_session.commit()
    _report_posts(app, db_session, 2)
    few = _statements(app, client)
    _report_posts(app, db_session, 12)
    assert _statements(app, client) == few
