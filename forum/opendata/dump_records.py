"""What the nightly dumps hold: every public record of a dataset, as an anonymous reader of the
pages sees it, read in batches of ids so that memory stays flat however large the forum is.

- ``lessons`` and ``projects``: the records of ``/lessons.json`` and ``/projects.json``
  (published, visible lessons; visible projects), without their export limit.
- ``threads``: public discussion threads, and the discussions of public lessons and published or
  cancelled events, each with its visible posts (never hidden, deleted or waiting for approval).
- ``events``: published and cancelled events (never drafts), without the join link of an online
  event, which only its participants may have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from flask import url_for
from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from ..accounts.models import User
from ..agenda.models import DRAFT, Event, EventGoal, EventTheme
from ..core.queries import goals_of, themes_by_id
from ..discussions.models import Post, Thread, ThreadGoal
from ..discussions.queries import public_threads, users_by_id
from ..lessons import exports as lesson_exports
from ..lessons.models import Lesson
from ..lessons.queries import LessonFilters, published_lessons_query
from ..projects import exports as project_exports
from ..projects.models import Project
from ..projects.queries import ProjectFilters, filtered_projects

BATCH = 500


def _stamp(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def _batches(session: Session, query, column) -> Iterator[list]:
    """``query``'s rows in id order, ``BATCH`` at a time (keyset, not offset: constant cost)."""
    last = 0
    while True:
        rows = list(session.exec(query.where(column > last).order_by(column).limit(BATCH)))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def lesson_records(session: Session) -> Iterator[dict]:
    public = published_lessons_query(LessonFilters()).whereclause
    for lessons in _batches(session, select(Lesson).where(public), Lesson.id):
        yield from lesson_exports.records_of(session=session, lessons=lessons)


def project_records(session: Session) -> Iterator[dict]:
    for projects in _batches(session, filtered_projects(ProjectFilters()), Project.id):
        yield from project_exports.records_of(session=session, projects=projects)


def public_threads_query():
    """Threads an anonymous reader may open: listed discussions, and the discussions of public
    lessons and of events that are not drafts."""
    lessons = select(Lesson.thread_id).where(published_lessons_query(LessonFilters()).whereclause)
    events = select(Event.thread_id).where(Event.state != DRAFT, Event.thread_id.is_not(None))
    listed = public_threads(select(Thread.id))
    return select(Thread).where(
        Thread.hidden_at.is_(None),
        or_(
            Thread.id.in_(listed),
            and_(Thread.kind == "lesson", Thread.id.in_(lessons)),
            and_(Thread.kind == "event", Thread.id.in_(events)),
        ),
    )


def visible_project_slugs(session: Session, rows) -> dict[int, str]:
    """The slugs of the visible projects ``rows`` (threads or events) name: a hidden project is
    not named, as its page is not shown."""
    ids = {row.project_id for row in rows if row.project_id}
    if not ids:
        return {}
    query = select(Project.id, Project.slug).where(Project.id.in_(ids), Project.hidden_at.is_(None))
    return dict(session.exec(query).all())


def thread_records(session: Session) -> Iterator[dict]:
    themes = themes_by_id(session)
    for threads in _batches(session, public_threads_query(), Thread.id):
        ids = [thread.id for thread in threads]
        posts = defaultdict(list)
        for post in session.exec(
            select(Post)
            .where(Post.thread_id.in_(ids), Post.deleted_at.is_(None), Post.hidden_at.is_(None))
            .order_by(Post.thread_id, Post.id)
        ):
            posts[post.thread_id].append(post)
        authors = users_by_id(session, [p.author_id for group in posts.values() for p in group])
        goals = goals_of(session, ThreadGoal, ThreadGoal.thread_id, ids)
        projects = visible_project_slugs(session, threads)
        for thread in threads:
            shown = posts[thread.id]
            if not shown:  # its opening post hidden or waiting: the page shows nothing either
                continue
            theme = themes.get(thread.theme_id)
            yield {
                "id": thread.id,
                "url": url_for(
                    "discussions.thread_page",
                    thread_id=thread.id,
                    slug=thread.slug,
                    _external=True,
                ),
                "kind": thread.kind,
                "title": thread.title,
                "theme": theme.slug if theme else None,
                "goals": [goal.number for goal in goals[thread.id]],
                "language": thread.language,
                "project": projects.get(thread.project_id),
                "created_at": _stamp(thread.created_at),
                "last_post_at": _stamp(thread.last_post_at),
                "locked": thread.locked,
                "solution_post_id": thread.solution_post_id
                if thread.solution_post_id in {p.id for p in shown}
                else None,
                "posts": [_post_record(post, authors.get(post.author_id)) for post in shown],
            }


def _post_record(post: Post, author) -> dict:
    return {
        "id": post.id,
        "url": url_for("discussions.post_permalink", post_id=post.id, _external=True),
        "author": lesson_exports.author_name(author),
        "language": post.language,
        "created_at": _stamp(post.created_at),
        "edited_at": _stamp(post.edited_at),
        "body": post.body,
        "body_html": post.body_html,
        "useful_count": post.useful_count,
    }


def event_records(session: Session) -> Iterator[dict]:
    themes = themes_by_id(session)
    for events in _batches(session, select(Event).where(Event.state != DRAFT), Event.id):
        ids = [event.id for event in events]
        goals = goals_of(session, EventGoal, EventGoal.event_id, ids)
        event_themes = defaultdict(list)
        for link in session.exec(select(EventTheme).where(EventTheme.event_id.in_(ids))):
            theme = themes.get(link.theme_id)
            if theme is not None:
                event_themes[link.event_id].append(theme.slug)
        projects = visible_project_slugs(session, events)
        for event in events:
            yield {
                "id": event.id,
                "url": url_for("events.event_detail", event_id=event.id, _external=True),
                "kind": event.kind,
                "state": event.state,
                "language": event.language,
                "title": event.title,
                "summary": event.summary,
                "title_translation": event.title_translation,
                "summary_translation": event.summary_translation,
                "starts_at": _stamp(event.starts_at),
                "ends_at": _stamp(event.ends_at),
                "online": event.online,
                "address": event.address,
                "meeting_point": event.meeting_point,
                "accessibility": event.accessibility,
                "capacity": event.capacity,
                "project": projects.get(event.project_id),
                "themes": sorted(event_themes[event.id]),
                "goals": [goal.number for goal in goals[event.id]],
                "series_id": event.series_id,
                "created_at": _stamp(event.created_at),
                "updated_at": _stamp(event.updated_at),
                "cancelled_at": _stamp(event.cancelled_at),
            }


# when something public is withdrawn: hidden by a moderator, deleted by its author, or an account
# deleted (its name becomes "deleted user")
WITHDRAWN_AT = (
    Post.hidden_at,
    Post.deleted_at,
    Thread.hidden_at,
    Lesson.hidden_at,
    Project.hidden_at,
    User.deleted_at,
)


def last_withdrawal(session: Session):
    """The latest moment anything was withdrawn (naive UTC), or None."""
    moments = [session.exec(select(func.max(column))).one() for column in WITHDRAWN_AT]
    return max((moment for moment in moments if moment is not None), default=None)


#: dataset name -> its records, in id order
RECORDS = {
    "lessons": lesson_records,
    "projects": project_records,
    "threads": thread_records,
    "events": event_records,
}
