"""What moderators may see (hidden threads, posts, lessons, projects; deleted posts; revisions;
drafts of events; the moderation pages) asks "may moderate now" (``can_moderate``), not "holds
the role": a suspended moderator reads what a member reads. Each page is checked for an active
moderator too, so that the difference is the suspension."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.clock import utcnow
from tests.factories import (
    client_as,
    make_lesson,
    make_project,
    make_reply,
    make_thread,
    make_user,
)
from tests.registration_helpers import upcoming_event

EN = {"Accept-Language": "en"}
SECRET = "Hemlig dagvattentext"


@pytest.fixture
def hidden_forum(app, db_session):
    """A hidden thread, a hidden reply and a deleted one in a visible thread, a hidden lesson
    and a hidden project, a project whose hidden thread and lesson it lists, and a draft event."""
    author = make_user(db_session, display_name="Anna Författare")
    organiser = make_user(db_session, role="admin")
    now = utcnow()
    with app.test_request_context("/"):
        hidden_thread, _ = make_thread(db_session, author, title=f"{SECRET} tråd", body=SECRET)
        visible, _ = make_thread(db_session, author, title="Synlig tråd om skyfall")
        hidden_reply = make_reply(db_session, visible, author, f"{SECRET} svar")
        deleted_reply = make_reply(db_session, visible, author, f"{SECRET} raderat")
        project = make_project(db_session, author, name="Öppet projekt")
        hidden_project = make_project(
            db_session, author, name="Dolt projekt", summary=f"{SECRET} projekt"
        )
        lesson = make_lesson(db_session, project, author, title="Dold lärdom om dagvatten")
        lesson.context, lesson.context_html = f"{SECRET} lärdom", f"<p>{SECRET} lärdom</p>"
        event = upcoming_event(db_session, organiser, title=f"{SECRET} evenemang")
    hidden_thread.hidden_at = hidden_reply.hidden_at = now
    hidden_thread.project_id = project.id
    deleted_reply.deleted_at = now
    hidden_project.hidden_at = lesson.hidden_at = now
    event.state = "draft"
    db_session.add_all([hidden_thread, hidden_reply, deleted_reply, hidden_project, lesson, event])
    db_session.commit()
    return {
        "hidden thread": f"/threads/{hidden_thread.id}",
        "hidden and deleted replies": f"/threads/{visible.id}",
        "revisions": f"/posts/{hidden_reply.id}/revisions",
        "hidden lesson": f"/lessons/{lesson.id}",
        "hidden project": f"/projects/{hidden_project.slug}",
        "project listing hidden thread and lesson": f"/projects/{project.slug}",
        "draft event": f"/events/{event.id}",
        "review queue": "/mod/queue",
        "audit log": "/mod/log",
    }


@pytest.fixture(params=["active", "suspended"])
def moderator(request, db_session):
    suspended = utcnow() + timedelta(days=3) if request.param == "suspended" else None
    return make_user(db_session, role="moderator", locale="en", suspended_until=suspended)


PAGES = [
    "hidden thread",
    "hidden and deleted replies",
    "revisions",
    "hidden lesson",
    "hidden project",
    "project listing hidden thread and lesson",
    "draft event",
    "review queue",
    "audit log",
]


@pytest.mark.parametrize("page", PAGES)
def test_hidden_content_is_for_moderators_who_may_moderate_now(app, hidden_forum, moderator, page):
    answer = client_as(app, moderator).get(hidden_forum[page], headers=EN, follow_redirects=True)
    sees = answer.status_code == 200 and (
        SECRET in answer.text or page in ("review queue", "audit log", "draft event")
    )
    if page == "project listing hidden thread and lesson":
        sees = answer.status_code == 200 and "Dold lärdom om dagvatten" in answer.text
    if moderator.suspended_until is None:
        assert sees, (page, answer.status_code)
    else:
        assert not sees, (page, answer.status_code)
        assert answer.status_code in (200, 403, 404)


def test_a_suspended_moderator_finds_no_hidden_content_in_search(app, hidden_forum, moderator):
    answer = client_as(app, moderator).get("/search", query_string={"q": "hemlig"}, headers=EN)
    assert answer.status_code == 200 and SECRET not in answer.text
