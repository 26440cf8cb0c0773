"""Content of every kind for the JSON API's tests: the public things an answer shows and the
hidden, deleted and draft ones no answer may show, with the addresses that read them."""

from __future__ import annotations

from dataclasses import dataclass

from forum.clock import utcnow
from forum.moderation.items import hide_item
from forum.moderation.posts import hide_post
from tests.events_helpers import make_event
from tests.factories import goal, make_lesson, make_project, make_reply, make_thread, make_user


@dataclass
class Content:
    thread: object
    hidden_thread: object
    reply: object
    hidden_reply: object
    deleted_reply: object
    project: object
    hidden_project: object
    lesson: object
    draft: object
    hidden_lesson: object
    event: object
    draft_event: object


def make_content(app, db_session) -> Content:
    """Public content of every kind (SDG 7), and the hidden, deleted and draft things no answer
    may show, each with a title that says so."""
    author = make_user(db_session, display_name="Astrid Author", email="astrid@example.org")
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        project = make_project(
            db_session, author, name="Solparken i Lund", goal_ids=[goal(db_session, 7).id]
        )
        thread, _posts = make_thread(
            db_session,
            author,
            "Solceller på skolans tak",
            "Vi satte **solceller** på taket.",
            goal_ids=[goal(db_session, 7).id],
            project_id=project.id,
        )
        reply = make_reply(db_session, thread, make_user(db_session), "Ett publikt svar")
        hidden_reply = make_reply(db_session, thread, make_user(db_session), "DOLT SVAR spam")
        hide_post(session=db_session, actor=mod, post=hidden_reply, reason="spam")
        deleted_reply = make_reply(db_session, thread, author, "RADERAT SVAR")
        deleted_reply.deleted_at = utcnow()
        hidden_thread, _ = make_thread(
            db_session, author, "DOLD TRÅD om solceller", "Dold.", hidden_at=utcnow()
        )
        lesson = make_lesson(db_session, project, author, title="Andelsägd solpark", language="sv")
        draft = make_lesson(db_session, project, author, title="UTKAST lektion", publish=False)
        hidden_lesson = make_lesson(db_session, project, author, title="DOLD LEKTION")
        hide_item(session=db_session, actor=mod, item=hidden_lesson, reason="spam")
        hidden_project = make_project(db_session, author, name="DOLT PROJEKT")
        hide_item(session=db_session, actor=mod, item=hidden_project, reason="spam")
        event = make_event(
            db_session, mod, title="Solenergidag i Malmö", goal_ids=[goal(db_session, 7).id]
        )
        draft_event = make_event(db_session, mod, title="UTKAST evenemang", publish=False)
        db_session.commit()
    return Content(
        thread,
        hidden_thread,
        reply,
        hidden_reply,
        deleted_reply,
        project,
        hidden_project,
        lesson,
        draft,
        hidden_lesson,
        event,
        draft_event,
    )


SECRETS = ("DOLT SVAR", "RADERAT SVAR", "DOLD TRÅD", "UTKAST", "DOLD LEKTION", "DOLT PROJEKT")


def public_paths(c: Content) -> list[str]:
    return [
        "/api/v1/",
        "/api/v1/threads",
        "/api/v1/threads?sdg=7&language=sv&solved=no&sort=replies&theme=klimatneutral-framtid",
        f"/api/v1/threads/{c.thread.id}",
        f"/api/v1/threads/{c.thread.id}/posts",
        f"/api/v1/threads/{c.lesson.thread_id}/posts",
        f"/api/v1/posts/{c.reply.id}",
        "/api/v1/lessons",
        f"/api/v1/lessons?project={c.project.slug}&sdg=7&sort=discussed&language=sv",
        f"/api/v1/lessons/{c.lesson.id}",
        "/api/v1/projects",
        "/api/v1/projects?sort=activity&sdg=7&status=ongoing",
        f"/api/v1/projects/{c.project.id}",
        "/api/v1/themes",
        "/api/v1/themes/1",
        "/api/v1/goals",
        "/api/v1/goals/7",
        "/api/v1/events",
        "/api/v1/events?when=upcoming&sdg=7&kind=webinar",
        "/api/v1/events?when=past",
        f"/api/v1/events/{c.event.id}",
        "/api/v1/openapi.json",
    ]
