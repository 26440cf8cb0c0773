"""The API's objects from the areas' rows, shaped as ``schemas`` describes them.

Each builder takes a page of rows and loads what they name (authors, goals, themes, partners)
in one statement per kind, so a page costs the same number of statements however long it is.
"""

from __future__ import annotations

from flask import url_for
from sqlmodel import Session, select

from ...agenda.models import Event, EventGoal, EventTheme
from ...core.models import Goal, Theme
from ...core.queries import goals_of, themes_by_id
from ...discussions.models import Post, Thread, ThreadGoal
from ...discussions.queries import users_by_id
from ...lessons.exports import LICENCE_URL, author_name, records_of
from ...lessons.models import Lesson
from ...projects import exports as project_exports
from ...projects.models import Project
from ..dump_records import visible_project_slugs
from ..feeds import site_url


def moment(value) -> str | None:
    """A stored UTC time as RFC 3339 (``2026-11-30T12:00:00Z``)."""
    return value.replace(microsecond=0).isoformat() + "Z" if value is not None else None


def api_url(endpoint: str, **values) -> str:
    return site_url(url_for(f"api.{endpoint}", **values))


def page_url(endpoint: str, **values) -> str:
    return site_url(url_for(endpoint, **values))


def _numbers(goals) -> list[int]:
    return [goal.number for goal in goals]


def _theme_slugs(session: Session, link, owner_column, owner_ids: list[int]) -> dict:
    """The slugs of each owner's themes through ``link``, by owner id, in one statement."""
    found: dict[int, list[str]] = {owner_id: [] for owner_id in owner_ids}
    if not owner_ids:
        return found
    rows = session.exec(
        select(owner_column, Theme.slug)
        .join(Theme, Theme.id == link.theme_id)
        .where(owner_column.in_(owner_ids))
        .order_by(Theme.position)
    )
    for owner_id, slug in rows:
        found[owner_id].append(slug)
    return found


# -- threads and posts ----------------------------------------------------------------------------
def thread_records(session: Session, threads: list[Thread]) -> list[dict]:
    ids = [thread.id for thread in threads]
    authors = users_by_id(session, [thread.author_id for thread in threads])
    goals = goals_of(session, ThreadGoal, ThreadGoal.thread_id, ids)
    themes = themes_by_id(session) if threads else {}
    visible_projects = visible_project_slugs(session, threads)
    return [
        {
            "id": thread.id,
            "url": api_url("thread", thread_id=thread.id),
            "html_url": page_url("discussions.thread_page", thread_id=thread.id, slug=thread.slug),
            "title": thread.title,
            "language": thread.language,
            "theme": themes[thread.theme_id].slug,
            "goals": _numbers(goals.get(thread.id, [])),
            "author": author_name(authors.get(thread.author_id)),
            "created_at": moment(thread.created_at),
            "last_post_at": moment(thread.last_post_at),
            "post_count": thread.post_count,
            "pinned": thread.pinned,
            "locked": thread.locked,
            "solved": thread.solution_post_id is not None,
            "project_id": thread.project_id if thread.project_id in visible_projects else None,
            "posts_url": api_url("thread_posts", thread_id=thread.id),
        }
        for thread in threads
    ]


def post_records(session: Session, posts: list[Post]) -> list[dict]:
    authors = users_by_id(session, [post.author_id for post in posts])
    return [
        {
            "id": post.id,
            "url": api_url("post", post_id=post.id),
            "html_url": page_url("discussions.post_permalink", post_id=post.id),
            "thread_id": post.thread_id,
            "thread_url": api_url("thread", thread_id=post.thread_id),
            "language": post.language,
            "author": author_name(authors.get(post.author_id)),
            "created_at": moment(post.created_at),
            "edited_at": moment(post.edited_at),
            "body": post.body,
            "body_html": post.body_html,
            "useful_count": post.useful_count,
        }
        for post in posts
    ]


# -- lessons and projects -------------------------------------------------------------------------
def lesson_records(session: Session, lessons: list[Lesson]) -> list[dict]:
    """The lessons as ``/lessons.json`` gives them, with the API's addresses."""
    records = []
    for lesson, exported in zip(lessons, records_of(session=session, lessons=lessons)):
        project = exported["project"]
        records.append(
            {
                "id": lesson.id,
                "url": api_url("lesson", lesson_id=lesson.id),
                "html_url": exported["url"],
                "title": exported["title"],
                "language": exported["language"],
                "lesson_type": exported["lesson_type"],
                "theme": exported["theme"],
                "goals": exported["goals"],
                "project": {
                    "id": lesson.project_id,
                    "slug": project["slug"],
                    "name": project["name"],
                    "url": api_url("project", project_id=lesson.project_id),
                    "html_url": project["url"],
                },
                "sections": exported["sections"],
                "outcomes": exported["outcomes"],
                "links": exported["links"],
                "author": exported["author"],
                "published_at": moment(lesson.published_at),
                "updated_at": moment(lesson.updated_at),
                "useful_count": exported["useful_count"],
                "reply_count": exported["reply_count"],
                "posts_url": _posts_url(lesson.thread_id),
                "licence": LICENCE_URL,
            }
        )
    return records


def _posts_url(thread_id: int | None) -> str | None:
    return api_url("thread_posts", thread_id=thread_id) if thread_id else None


def project_records(session: Session, projects: list[Project]) -> list[dict]:
    """The projects as ``/projects.json`` gives them, with the API's addresses."""
    return [
        {
            **exported,
            "url": api_url("project", project_id=project.id),
            "html_url": exported["url"],
            "summary_html": project.summary_html,
            "created_at": moment(project.created_at),
            "updated_at": moment(project.updated_at),
            "lessons_url": api_url("lessons", project=project.slug),
        }
        for project, exported in zip(
            projects, project_exports.records_of(session=session, projects=projects)
        )
    ]


# -- themes, goals, events ------------------------------------------------------------------------
def theme_record(theme: Theme) -> dict:
    return {
        "id": theme.id,
        "url": api_url("theme", theme_id=theme.id),
        "html_url": page_url("discussions.theme_page", slug=theme.slug),
        "slug": theme.slug,
        "name": {"sv": theme.name_sv, "en": theme.name_en},
        "description": {"sv": theme.description_sv, "en": theme.description_en},
        "threads_url": api_url("threads", theme=theme.slug),
        "lessons_url": api_url("lessons", theme=theme.slug),
    }


def goal_record(goal: Goal) -> dict:
    return {
        "id": goal.number,
        "url": api_url("goal", number=goal.number),
        "html_url": page_url("search.search_page", sdg=goal.number),
        "name": {"sv": goal.name_sv, "en": goal.name_en},
        "colour": goal.colour,
        "threads_url": api_url("threads", sdg=goal.number),
        "lessons_url": api_url("lessons", sdg=goal.number),
    }


def event_records(session: Session, events: list[Event]) -> list[dict]:
    ids = [event.id for event in events]
    themes = _theme_slugs(session, EventTheme, EventTheme.event_id, ids)
    goals = goals_of(session, EventGoal, EventGoal.event_id, ids)
    visible_projects = visible_project_slugs(session, events)
    return [
        {
            "id": event.id,
            "url": api_url("event", event_id=event.id),
            "html_url": page_url("events.event_detail", event_id=event.id),
            "title": event.title,
            "language": event.language,
            "summary": event.summary,
            "summary_html": event.summary_html,
            "kind": event.kind,
            "status": event.state,
            "starts_at": moment(event.starts_at),
            "ends_at": moment(event.ends_at),
            "online": event.online,
            "address": event.address or None,
            "meeting_point": event.meeting_point or None,
            "themes": themes[event.id],
            "goals": _numbers(goals[event.id]),
            "project_id": event.project_id if event.project_id in visible_projects else None,
            "updated_at": moment(event.updated_at),
            "posts_url": _posts_url(event.thread_id),
        }
        for event in events
    ]
