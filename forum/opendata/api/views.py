"""The read-only JSON API, ``/api/v1/``: threads, posts, lessons, projects, themes, goals and
events, as an anonymous reader sees them on the pages, whoever asks.

The rows come from the pages' own queries and filters (``filtered_threads``,
``published_lessons_query``, ``filtered_projects``, ``public_events``, the feeds'
``public_thread``), so hidden, deleted, held and draft content never appears; one that is asked
for by its id is a 404 like an unknown id. Lists are cursor pages in the pages' own orders.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlmodel import col, select

from ... import permissions
from ...agenda.models import DRAFT, Event
from ...agenda.queries import PAST_ORDER, UPCOMING_ORDER, public_events
from ...agenda.views import event_filters
from ...clock import utcnow
from ...core.queries import all_goals, all_themes, goals_by_number
from ...db import get_session
from ...discussions.models import Post
from ...discussions.queries import filtered_threads, thread_order
from ...discussions.views import thread_filters
from ...lessons.models import Lesson
from ...lessons.queries import lesson_order, published_lessons_query
from ...lessons.views import lesson_filters
from ...projects.filters import theme_arg
from ...projects.models import Project
from ...projects.queries import filtered_projects, project_order
from ...projects.views import project_filters
from ...web import fail
from ..feed_views import public_thread
from . import records
from .pagination import Order, Page, paginate
from .policy import apply_policies, json_answer

bp = Blueprint("api", __name__, url_prefix="/api/v1")
apply_policies(bp)
ANONYMOUS = AnonymousUserMixin()
EVENT_TIMES = ("upcoming", "past")

COLLECTIONS = {
    "threads": _l("Discussion threads, with the theme pages' filters."),
    "lessons": _l("Published lessons (CC BY 4.0), with /lessons' filters."),
    "projects": _l("Projects, with /projects' filters."),
    "events": _l("Published and cancelled events, with /events' filters."),
    "themes": _l("The forum's themes."),
    "goals": _l("The 17 Sustainable Development Goals."),
}


def _page(page: Page, data: list[dict]):
    response = json_answer({"data": data, "next": page.next_url, "limit": page.limit})
    if page.next_url:
        response.headers["Link"] = f'<{page.next_url}>; rel="next"'
    return response


def _whole_list(data: list[dict]):
    """A list short enough for one page (themes, goals), in the shape of every list."""
    return json_answer({"data": data, "next": None, "limit": len(data)})


def _one(data: list[dict]):
    return json_answer(data[0])


def _listed(query, order: Order, build):
    """The requested page of ``query`` in ``order``, each row made an object by ``build``."""
    session = get_session()
    page = paginate(session, query, order)
    return _page(page, build(session, page.items))


@bp.get("/")
def index():
    return json_answer(
        {
            "collections": [
                {"name": name, "url": records.api_url(name), "description": str(description)}
                for name, description in COLLECTIONS.items()
            ],
            "openapi": records.api_url("openapi"),
            "dictionary": records.page_url("api_docs.dictionary"),
        }
    )


# -- threads and posts ----------------------------------------------------------------------------
@bp.get("/threads")
def threads():
    filters = thread_filters()
    theme = theme_arg(get_session(), request.args.get("theme"))
    order = Order.of(f"threads-{filters.sort}", thread_order(filters.sort))
    return _listed(filtered_threads(theme=theme, filters=filters), order, records.thread_records)


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    found = public_thread(thread_id)
    return _one(records.thread_records(get_session(), [found]))


def _visible_posts(thread_id: int):
    return select(Post).where(
        Post.thread_id == thread_id, Post.deleted_at.is_(None), Post.hidden_at.is_(None)
    )


@bp.get("/threads/<int:thread_id>/posts")
def thread_posts(thread_id: int):
    """The visible posts of a public thread (also a lesson's or an event's discussion), in the
    thread's order."""
    public_thread(thread_id)
    return _listed(_visible_posts(thread_id), Order.of("posts", (Post.id,)), records.post_records)


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    session = get_session()
    found = session.get(Post, post_id)
    if found is None or not found.is_visible:
        fail(404, _("This post does not exist or has been removed."))
    public_thread(found.thread_id)
    return _one(records.post_records(session, [found]))


# -- lessons and projects -------------------------------------------------------------------------
@bp.get("/lessons")
def lessons():
    filters = lesson_filters(get_session())
    order = Order.of(f"lessons-{filters.sort}", lesson_order(filters.sort))
    return _listed(published_lessons_query(filters), order, records.lesson_records)


@bp.get("/lessons/<int:lesson_id>")
def lesson(lesson_id: int):
    session = get_session()
    found = session.get(Lesson, lesson_id)
    if found is None or not found.is_public:
        fail(404, _("There is no lesson at this address."))
    return _one(records.lesson_records(session, [found]))


@bp.get("/projects")
def projects():
    filters = project_filters(get_session())
    order = Order.of(f"projects-{filters.sort}", project_order(filters.sort))
    return _listed(filtered_projects(filters), order, records.project_records)


@bp.get("/projects/<int:project_id>")
def project(project_id: int):
    session = get_session()
    found = session.get(Project, project_id)
    if found is None or permissions.is_hidden_for(ANONYMOUS, found):
        fail(404, _("There is no project at this address."))
    return _one(records.project_records(session, [found]))


# -- themes and goals -----------------------------------------------------------------------------
@bp.get("/themes")
def themes():
    return _whole_list([records.theme_record(theme) for theme in all_themes(get_session())])


@bp.get("/themes/<int:theme_id>")
def theme(theme_id: int):
    found = next((t for t in all_themes(get_session()) if t.id == theme_id), None)
    if found is None:
        fail(404, _("There is no theme with that name."))
    return json_answer(records.theme_record(found))


@bp.get("/goals")
def goals():
    return _whole_list([records.goal_record(goal) for goal in all_goals(get_session())])


@bp.get("/goals/<int:number>")
def goal(number: int):
    found = goals_by_number(get_session()).get(number)
    if found is None:
        fail(404, _("Choose a goal between 1 and 17."))
    return json_answer(records.goal_record(found))


# -- events ---------------------------------------------------------------------------------------
@bp.get("/events")
def events():
    """``/events``' filters; ``when`` narrows to the page's upcoming list (soonest first) or its
    past one (latest first); without it, every event from the earliest on."""
    _theme, _goal, _kind, _series, filters = event_filters(get_session())
    when = request.args.get("when", "")
    if when and when not in EVENT_TIMES:
        fail(400, _("Choose upcoming or past events."))
    query = public_events(**filters)
    if when == "past":
        query = query.where(col(Event.ends_at) < utcnow())
    elif when == "upcoming":
        query = query.where(col(Event.ends_at) >= utcnow())
    clauses = PAST_ORDER if when == "past" else UPCOMING_ORDER
    return _listed(query, Order.of(f"events-{when or 'all'}", clauses), records.event_records)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    session = get_session()
    found = session.get(Event, event_id)
    if found is None or found.state == DRAFT:
        fail(404, _("There is no event at this address."))
    return _one(records.event_records(session, [found]))
