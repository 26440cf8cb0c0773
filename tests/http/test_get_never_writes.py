"""No GET route writes to the database, for any role, on the demo content."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlmodel import select

from forum.accounts.demo import demo_user
from forum.agenda.models import Event
from forum.demo import seed_demo
from forum.discussions.models import Post, Thread
from forum.lessons.models import Lesson
from forum.projects.models import Project
from forum.search.models import GlossaryGroup
from tests.factories import login_as

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _paths(app, session) -> list[str]:
    thread = session.exec(select(Thread).order_by(Thread.id)).first()
    post = session.exec(select(Post).order_by(Post.id)).first()
    lesson = session.exec(select(Lesson).order_by(Lesson.id)).first()
    project = session.exec(select(Project).order_by(Project.id)).first()
    group = session.exec(select(GlossaryGroup).order_by(GlossaryGroup.id)).first()
    member = demo_user(session, "member")
    event = session.exec(select(Event).order_by(Event.id)).first()
    values = {
        "event_id": event.id,
        "thread_id": thread.id,
        "post_id": post.id,
        "lesson_id": lesson.id,
        "user_id": member.id,
        "handle": member.handle,
        "group_id": group.id if group else 1,
        "warning_id": 1,
        "report_id": 1,
        "invitation_id": 1,
        "item_id": post.id,
        "item_type": "post",
        "token": "not-a-token",
        "filename": "css/forum.css",
    }
    slugs = {"theme_page": "klimatneutral-framtid", "new_thread_in_theme": "klimatneutral-framtid"}
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        actions = sorted(rule._converters["action"].items) if "action" in rule.arguments else [None]
        for action in actions:
            path = rule.rule
            for name in rule.arguments:
                value = action if name == "action" else values.get(name)
                if name == "slug":
                    value = slugs.get(rule.endpoint.split(".")[-1], project.slug)
                path = re.sub(rf"<(?:[^>:]*:)?{name}>", str(value), path)
            paths.append(path)
    return paths


@pytest.mark.parametrize("role", [None, "member", "moderator", "admin"])
def test_no_get_route_writes(app, client, db_session, role):
    seed_demo(db_session)
    db_session.commit()
    if role:
        login_as(client, demo_user(db_session, role))
    paths = _paths(app, db_session)
    assert len(paths) > 30
    writes = []

    def spy(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(WRITES):
            writes.append((current, statement.split("\n")[0]))

    engine = app.extensions["forum_engine"]
    event.listen(engine, "before_cursor_execute", spy)
    try:
        for current in paths:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(current, headers=headers)
                assert response.status_code < 500, current
            client.get(current, query_string={"page": "2", "sort": "unknown", "lang": "en"})
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert writes == []
