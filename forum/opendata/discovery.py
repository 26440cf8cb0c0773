"""What search engines read: ``/robots.txt`` and the sitemap.

``/sitemap.xml`` is always a sitemap index; each section (pages, threads, lessons, projects,
events) is cut into files of at most ``SITEMAP_PAGE_SIZE`` addresses (the protocol allows 50,000)
at ``/sitemaps/<section>-<n>.xml``, in id order, with each address's last change. A section lists
what an anonymous reader may open, through the same predicates as the lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from ..agenda.models import PUBLISHED, Event
from ..db import get_session
from ..discussions.models import Thread
from ..discussions.queries import public_threads, theme_overview
from ..lessons.models import Lesson
from ..lessons.queries import LessonFilters, published_lessons_query
from ..projects.models import Project
from ..web import fail
from .feeds import site_url

bp = Blueprint("discovery", __name__)
SECTIONS = ("pages", "threads", "lessons", "projects", "events")

# GET pages that are someone's own, or lead nowhere a search engine should go; every URL that
# takes a POST (a form or an action) is added from the routes themselves.
PRIVATE = (
    "/settings",
    "/notices",
    "/notifications",
    "/mod/",
    "/admin/",
    "/members",
    "/u/",  # members' profiles: personal data stays out of search engines (as Discourse does)
    "/unsubscribe/",
    "/invitations/confirm/",
    "/invitations/unsubscribe/",
    "/events/mine",
    "/events/*/participants",
    "/posts/",  # permalinks, quotes and revisions: the thread page is the address to index
    "/t/*/new",
    "/search?",  # a search with words or filters; the empty search page may be read
    "/search.atom",
    "/healthz",
    "/data/dumps/",  # whole datasets for programs, megabytes each: nothing for a search engine
)


@dataclass(frozen=True)
class Address:
    path: str
    lastmod: datetime | None = None


def _w3c(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00") if moment is not None else None


def _rows(section: str):
    """The query of a section's rows (in id order) and how a row becomes an ``Address``."""
    if section == "threads":
        query = public_threads(select(Thread.id, Thread.slug, Thread.last_post_at))
        query = query.order_by(Thread.id)
        return query, lambda row: Address(
            url_for("discussions.thread_page", thread_id=row[0], slug=row[1]), row[2]
        )
    if section == "lessons":
        public = published_lessons_query(LessonFilters()).whereclause  # the list's condition
        query = select(Lesson.id, Lesson.slug, Lesson.updated_at).where(public).order_by(Lesson.id)
        return query, lambda row: Address(
            url_for("lessons.lesson_detail", lesson_id=row[0], slug=row[1]), row[2]
        )
    if section == "projects":
        # the project list's own condition (``list_projects``): a hidden project is a notice
        query = select(Project.id, Project.slug, Project.updated_at, Project.last_activity_at)
        query = query.where(Project.hidden_at.is_(None)).order_by(Project.id)
        return query, lambda row: Address(
            url_for("projects.project_detail", slug=row[1]), max(row[2], row[3])
        )
    # events: published ones (drafts are nobody's business, a cancelled one is no destination)
    query = select(Event.id, Event.updated_at).where(Event.state == PUBLISHED)
    query = query.order_by(Event.id)
    return query, lambda row: Address(url_for("events.event_detail", event_id=row[0]), row[1])


def _pages() -> list[Address]:
    addresses = [Address(url_for(endpoint)) for endpoint in _LISTS]
    for stats in theme_overview(session=get_session()):
        path = url_for("discussions.theme_page", slug=stats.theme.slug)
        addresses.append(Address(path, stats.last_post_at))
    return addresses


_LISTS = (
    "site.home",
    "lessons.lesson_list",
    "projects.project_list",
    "events.event_list",
    "data.data_page",
)


def _page_size() -> int:
    return max(1, int(current_app.config["SITEMAP_PAGE_SIZE"]))


def _file_count(section: str) -> int:
    if section == "pages":
        return 1
    query, _address = _rows(section)
    total = get_session().exec(select(func.count()).select_from(query.subquery())).one()
    return -(-total // _page_size())


def _xml(template: str, **context) -> Response:
    response = Response(render_template(template, **context), mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.add_etag()
    return response


@bp.get("/sitemap.xml")
def sitemap_index():
    files = [
        site_url(url_for("discovery.sitemap_file", section=section, number=number))
        for section in SECTIONS
        for number in range(1, _file_count(section) + 1)
    ]
    return _xml("opendata/sitemap_index.xml", files=files).make_conditional(request)


@bp.get("/sitemaps/<any(pages, threads, lessons, projects, events):section>-<int:number>.xml")
def sitemap_file(section: str, number: int):
    if section == "pages":
        addresses = _pages() if number == 1 else []
    else:
        query, address = _rows(section)
        size = _page_size()
        rows = get_session().exec(query.offset((number - 1) * size).limit(size)).all()
        addresses = [address(row) for row in rows]
    if not addresses:
        fail(404, _("This sitemap file does not exist."))
    urls = [(site_url(item.path), _w3c(item.lastmod)) for item in addresses]
    return _xml("opendata/sitemap.xml", urls=urls).make_conditional(request)


def _pattern(rule: str) -> str:
    """A route as a robots.txt path pattern: each variable part becomes ``*``."""
    return re.sub(r"<[^>]+>", "*", rule)


@bp.get("/robots.txt")
def robots_txt():
    posted = {
        _pattern(rule.rule) for rule in current_app.url_map.iter_rules() if "POST" in rule.methods
    }
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in (*PRIVATE, *sorted(posted)))]
    lines += ["", f"Sitemap: {site_url(url_for('discovery.sitemap_index'))}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
