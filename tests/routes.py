"""Every GET route of the app as a concrete path, filled in from the demo content
(``forum.demo.seed_demo``): the routes no GET may write through, and the pages that must be
valid HTML."""

from __future__ import annotations

import re

from sqlmodel import select

from forum.accounts.demo import demo_user
from forum.agenda.models import Event
from forum.agenda.series_models import EventSeries
from forum.discussions.models import Post, Thread
from forum.lessons.models import Lesson
from forum.projects.models import Project
from forum.search.models import GlossaryGroup


def get_paths(app, session) -> list[str]:
    thread = session.exec(select(Thread).order_by(Thread.id)).first()
    post = session.exec(select(Post).order_by(Post.id)).first()
    lesson = session.exec(select(Lesson).order_by(Lesson.id)).first()
    project = session.exec(select(Project).order_by(Project.id)).first()
    group = session.exec(select(GlossaryGroup).order_by(GlossaryGroup.id)).first()
    member = demo_user(session, "member")
    event = session.exec(select(Event).order_by(Event.id)).first()
    series = session.exec(select(EventSeries).order_by(EventSeries.id)).first()
    values = {
        "event_id": event.id,
        "series_id": series.id if series else None,
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
