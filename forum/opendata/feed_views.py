"""The Atom feeds (and RSS twins of the two most read): new threads; a theme, a project or an
SDG; lessons filtered like ``/lessons``; the posts of one thread; events; any search.

Every feed shows what an anonymous reader sees on the page it mirrors, through that page's own
query or permission predicate, whoever asks: a feed URL is shared and cached, never personal.
Entries come newest first, at most ``FEED_SIZE``.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlmodel import select

from .. import permissions
from ..agenda import queries as agenda_queries
from ..agenda.models import PUBLISHED, Event
from ..agenda.views import event_filters
from ..core.queries import goals_by_number
from ..db import get_session
from ..discussions.loaders import get_theme_or_404
from ..discussions.models import Post, Thread
from ..discussions.queries import ThreadFilters, first_threads
from ..i18n import localized
from ..lessons.queries import LessonFilters, lesson_of_thread, published_lessons_query
from ..lessons.views import lesson_filters
from ..projects.queries import get_project_by_slug, linked_threads
from ..search import get_search_service
from ..search.saved import params_from_args
from ..search.service import run_search
from ..web import fail
from . import entries as build
from .feeds import FEED_SIZE, Feed, feed_response, site_url

bp = Blueprint("feeds", __name__)
ANONYMOUS = AnonymousUserMixin()


def _self_url() -> str:
    query = request.query_string.decode("latin-1")
    return site_url(request.path + (f"?{query}" if query else ""))


def _feed(title: str, page_path: str, entries, subtitle: str = "") -> Feed:
    ordered = sorted(entries, key=lambda entry: (entry.published, entry.id), reverse=True)
    return Feed(title, site_url(page_path), _self_url(), ordered[:FEED_SIZE], subtitle)


def topic_feed_title(name: str) -> str:
    return _("Tillsammans forum: new in %(name)s", name=name)


def goal_feed_title(goal) -> str:
    return topic_feed_title(f"{goal.number}. {localized(goal, 'name')}")


def thread_feed_title(thread: Thread) -> str:
    return _("Tillsammans forum: replies in “%(title)s”", title=thread.title)


def search_feed_title(words: str) -> str:
    if words:
        return _("Tillsammans forum: search for “%(query)s”", query=words[:100])
    return _("Tillsammans forum: search")


def _new_threads(theme=None, goal_number=None) -> list[Thread]:
    """The newest threads of the theme page's own query (pinned ones come along first)."""
    filters = ThreadFilters(goal=goal_number, sort="newest")
    return first_threads(session=get_session(), theme=theme, filters=filters, limit=FEED_SIZE)


def _new_lessons(**filters) -> list:
    query = published_lessons_query(LessonFilters(sort="newest", **filters)).limit(FEED_SIZE)
    return list(get_session().exec(query))


# -- new threads ----------------------------------------------------------------------------------
@bp.get("/threads.atom", defaults={"kind": "atom"})
@bp.get("/threads.rss", endpoint="latest_threads_feed_rss", defaults={"kind": "rss"})
def latest_threads_feed(kind: str):
    entries = build.thread_entries(get_session(), _new_threads())
    title = _("Tillsammans forum: new threads")
    return feed_response(_feed(title, url_for("site.home"), entries), kind)


# -- a theme, an SDG, a project: its new threads and lessons --------------------------------------
@bp.get("/t/<slug>.atom")
def theme_feed(slug: str):
    theme = get_theme_or_404(slug)
    session = get_session()
    entries = build.thread_entries(session, _new_threads(theme=theme))
    entries += build.lesson_entries(session, _new_lessons(theme=theme))
    title = topic_feed_title(localized(theme, "name"))
    return feed_response(_feed(title, url_for("discussions.theme_page", slug=slug), entries))


@bp.get("/goals/<int:number>.atom")
def goal_feed(number: int):
    session = get_session()
    goal = goals_by_number(session).get(number)
    if goal is None:
        fail(404, _("Choose a goal between 1 and 17."))
    entries = build.thread_entries(session, _new_threads(goal_number=number))
    entries += build.lesson_entries(session, _new_lessons(goal=goal))
    title = goal_feed_title(goal)
    return feed_response(_feed(title, url_for("search.search_page", sdg=number), entries))


@bp.get("/projects/<slug>.atom")
def project_feed(slug: str):
    session = get_session()
    project = get_project_by_slug(session=session, slug=slug)
    if project is None or permissions.is_hidden_for(ANONYMOUS, project):
        fail(404, _("There is no project at this address."))
    threads = linked_threads(session=session, project=project, viewer=ANONYMOUS, limit=FEED_SIZE)
    entries = build.thread_entries(session, threads)
    entries += build.lesson_entries(session, _new_lessons(project=project))
    title = topic_feed_title(project.name)
    return feed_response(_feed(title, url_for("projects.project_detail", slug=slug), entries))


# -- lessons --------------------------------------------------------------------------------------
@bp.get("/lessons.atom", defaults={"kind": "atom"})
@bp.get("/lessons.rss", endpoint="lessons_feed_rss", defaults={"kind": "rss"})
def lessons_feed(kind: str):
    """The lessons ``/lessons`` lists with the same filters, newest first whatever ``sort``
    says: a feed is read by date."""
    session = get_session()
    filters = replace(lesson_filters(session), sort="newest")
    lessons = list(session.exec(published_lessons_query(filters).limit(FEED_SIZE)))
    entries = build.lesson_entries(session, lessons)
    page = url_for("lessons.lesson_list", **request.args.to_dict(flat=False))
    return feed_response(_feed(_("Tillsammans forum: lessons"), page, entries), kind)


# -- the posts of one thread ----------------------------------------------------------------------
def public_thread(thread_id: int) -> Thread:
    """The thread when an anonymous reader may read it: not hidden, and for the discussion of a
    lesson or an event, that lesson or event public too."""
    session = get_session()
    thread = session.get(Thread, thread_id)
    public = thread is not None and permissions.can_view_thread(ANONYMOUS, thread)
    if public and thread.kind == "lesson":
        lesson = lesson_of_thread(session=session, thread=thread)
        public = lesson is not None and lesson.is_public
    elif public and thread.kind == "event":
        event = session.exec(select(Event).where(Event.thread_id == thread.id)).first()
        public = event is not None and event.state == PUBLISHED
    if not public:
        fail(404, _("This thread does not exist or has been removed."))
    return thread


@bp.get("/threads/<int:thread_id>.atom")
def thread_feed(thread_id: int):
    session = get_session()
    thread = public_thread(thread_id)
    posts = session.exec(
        select(Post)
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .order_by(Post.id.desc())
        .limit(FEED_SIZE)
    ).all()
    entries = build.post_entries(session, thread, list(posts))
    title = thread_feed_title(thread)
    page = url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)
    return feed_response(_feed(title, page, entries))


# -- events ---------------------------------------------------------------------------------------
@bp.get("/events.atom")
def events_feed():
    """What ``/events.ics`` lists (published events, and those cancelled lately), with the
    same filters, the latest to start first."""
    session = get_session()
    _theme, _goal, _kind, _series, filters = event_filters(session)
    events = agenda_queries.feed_events(session, limit=FEED_SIZE, **filters)
    entries = build.event_entries(session, events)
    page = url_for("events.event_list", **request.args.to_dict(flat=False))
    return feed_response(_feed(_("Tillsammans forum: events"), page, entries))


# -- a saved search -------------------------------------------------------------------------------
@bp.get("/search.atom")
def search_feed():
    """The search page's first page of results for the same words and filters, newest first."""
    params = replace(params_from_args(request.args), sort="newest", page=1)
    result = run_search(session=get_session(), service=get_search_service(), params=params)
    if result.unavailable:
        fail(503, _("Search is not available at the moment. Try again in a minute."))
    if not result.searched:
        fail(400, _("Give words or filters to search for."))
    title = search_feed_title(params.q)
    page = url_for("search.search_page", **request.args.to_dict(flat=False))
    return feed_response(_feed(title, page, build.search_entries(result.items)))
