"""What a page announces in its ``<head>`` (``templates/opendata/_head.html``, included by
``base.html``): the feeds that mirror it, and for a thread, lesson, project or event its link
preview (Open Graph, Twitter card) and schema.org JSON-LD.

Both are template globals that read the page being rendered (its endpoint and the objects in its
context), so no area's view has to know about them. A preview is made only of what an anonymous
reader may see: a hidden thread, a draft or a hidden lesson says nothing about itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import request, url_for
from flask_babel import gettext as _
from jinja2 import pass_context
from sqlmodel import select

from ..accounts.urls import is_deleted
from ..agenda.models import DRAFT
from ..agenda.service import LOCAL_ZONE
from ..core.queries import goals_by_number
from ..db import get_session
from ..discussions.models import Post
from ..i18n import localized
from ..lessons.exports import LICENCE_URL
from ..lessons.labels import lesson_type_label
from . import feed_views
from .feeds import MIMETYPES, html_text, site_url

DESCRIPTION_LENGTH = 200
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
# Arguments of a list page that choose a page of it or the calendar's month, not what it lists.
_NOT_FILTERS = ("page", "sort", "month", "upcoming_page", "past_page", "lang")


@dataclass
class Preview:
    type: str  # og:type
    title: str
    description: str
    url: str
    language: str
    published: datetime | None = None
    modified: datetime | None = None
    data: dict = field(default_factory=dict)  # the JSON-LD object

    @property
    def locale(self) -> str:
        return OG_LOCALES.get(self.language, "sv_SE")


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def _local_iso(moment: datetime) -> str:
    """An event's moment in Stockholm time with its offset, as the event page shows it."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).isoformat()


def _person(user) -> dict | None:
    return None if is_deleted(user) else {"@type": "Person", "name": user.display_name}


def _filters() -> dict:
    args = request.args.to_dict(flat=False)
    return {key: value for key, value in args.items() if key not in _NOT_FILTERS}


# -- feeds ----------------------------------------------------------------------------------------
def _feed(endpoint: str, title: str, kind: str = "atom", values: dict | None = None) -> dict:
    """``values``: the feed's path and query arguments (a list page's ``kind``, say, is one)."""
    href = url_for(endpoint, **(values or {}))
    return {"href": href, "title": title, "type": MIMETYPES[kind]}


def _thread_feed(thread) -> list[dict]:
    if thread is None or thread.hidden_at is not None:
        return []
    title = feed_views.thread_feed_title(thread)
    return [_feed("feeds.thread_feed", title, values={"thread_id": thread.id})]


def _home_feeds(context) -> list[dict]:
    title = _("Tillsammans forum: new threads")
    return [
        _feed("feeds.latest_threads_feed", title),
        _feed("feeds.latest_threads_feed_rss", title, "rss"),
    ]


def _theme_feeds(context) -> list[dict]:
    theme = context.get("theme")
    if theme is None:
        return []
    title = feed_views.topic_feed_title(localized(theme, "name"))
    return [_feed("feeds.theme_feed", title, values={"slug": theme.slug})]


def _lesson_list_feeds(context) -> list[dict]:
    title = _("Tillsammans forum: lessons")
    return [
        _feed("feeds.lessons_feed", title, values=_filters()),
        _feed("feeds.lessons_feed_rss", title, "rss", _filters()),
    ]


def _lesson_feeds(context) -> list[dict]:
    lesson = context.get("lesson")
    return _thread_feed(context.get("thread")) if lesson and lesson.is_public else []


def _project_feeds(context) -> list[dict]:
    project = context.get("project")
    if project is None or project.hidden_at is not None:
        return []
    title = feed_views.topic_feed_title(project.name)
    return [_feed("feeds.project_feed", title, values={"slug": project.slug})]


def _event_list_feeds(context) -> list[dict]:
    return [_feed("feeds.events_feed", _("Tillsammans forum: events"), values=_filters())]


def _event_feeds(context) -> list[dict]:
    """An event's discussion, as its thread page would announce it (a draft has none)."""
    event = context.get("event")
    if event is None or event.state == DRAFT:
        return []
    return _thread_feed(context.get("thread"))


def _search_feeds(context) -> list[dict]:
    result, params = context.get("result"), context.get("params")
    if result is None or not result.searched:  # the empty search page has nothing to follow
        return []
    feeds = [_feed("feeds.search_feed", feed_views.search_feed_title(params.q), values=_filters())]
    if set(_filters()) == {"sdg"} and len(params.sdgs) == 1:
        # one goal and nothing else: the page a goal's feed links to, so it names that feed too
        goal = goals_by_number(get_session()).get(params.sdgs[0])
        if goal is not None:
            title = feed_views.goal_feed_title(goal)
            feeds.insert(0, _feed("feeds.goal_feed", title, values={"number": goal.number}))
    return feeds


_FEEDS = {
    "site.home": _home_feeds,
    "discussions.theme_page": _theme_feeds,
    "discussions.thread_page": lambda context: _thread_feed(context.get("thread")),
    "lessons.lesson_list": _lesson_list_feeds,
    "lessons.lesson_detail": _lesson_feeds,
    "projects.project_detail": _project_feeds,
    "events.event_list": _event_list_feeds,
    "events.event_detail": _event_feeds,
    "search.search_page": _search_feeds,
}


@pass_context
def page_feeds(context) -> list[dict]:
    """The feeds the page being rendered announces with ``<link rel="alternate">``."""
    feeds = _FEEDS.get(request.endpoint or "")
    if feeds is None or context.get("status"):  # an error page (a bad filter) has no feed
        return []
    return feeds(context)


# -- link previews --------------------------------------------------------------------------------
def _thread_preview(context) -> Preview | None:
    thread, view = context.get("thread"), context.get("view")
    if thread is None or view is None or thread.hidden_at is not None:
        return None
    first = view.first_post
    if first is None:  # a later page of the thread: the opening post is not among its posts
        first = (
            get_session()
            .exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id).limit(1))
            .first()
        )
    text = html_text(first.body_html, DESCRIPTION_LENGTH) if first and first.is_visible else ""
    url = site_url(url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug))
    modified = max(thread.created_at, thread.last_post_at)
    data = {
        "@type": "DiscussionForumPosting",
        "headline": thread.title,
        "text": text,
        "url": url,
        "inLanguage": thread.language,
        "datePublished": _iso(thread.created_at),
        "dateModified": _iso(modified),
        "author": _person(view.authors.get(thread.author_id)),
        "commentCount": thread.reply_count,
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": thread.reply_count,
        },
        "about": {"@type": "Thing", "name": localized(view.theme, "name")},
    }
    return Preview(
        "article", thread.title, text, url, thread.language, thread.created_at, modified, data
    )


def _lesson_preview(context) -> Preview | None:
    lesson, project = context.get("lesson"), context.get("project")
    if lesson is None or project is None or not lesson.is_public:
        return None
    text = html_text(lesson.context_html, DESCRIPTION_LENGTH)
    url = site_url(url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug))
    keywords = [localized(goal, "name") for goal in context.get("goals") or ()]
    if context.get("theme") is not None:
        keywords.insert(0, localized(context["theme"], "name"))
    data = {
        "@type": "CreativeWork",
        "name": lesson.title,
        "headline": lesson.title,
        "abstract": text,
        "url": url,
        "inLanguage": lesson.language,
        "genre": lesson_type_label(lesson.lesson_type),
        "datePublished": _iso(lesson.published_at),
        "dateModified": _iso(lesson.updated_at),
        "author": _person(context.get("author")),
        "license": LICENCE_URL,
        "keywords": keywords,
        "isPartOf": {
            "@type": "Project",
            "name": project.name,
            "url": site_url(url_for("projects.project_detail", slug=project.slug)),
        },
    }
    return Preview(
        "article",
        lesson.title,
        text,
        url,
        lesson.language,
        lesson.published_at,
        lesson.updated_at,
        data,
    )


def _project_preview(context) -> Preview | None:
    project, details = context.get("project"), context.get("details")
    if project is None or project.hidden_at is not None:
        return None
    text = html_text(project.summary_html, DESCRIPTION_LENGTH)
    url = site_url(url_for("projects.project_detail", slug=project.slug))
    place = ", ".join(part for part in (project.district, project.municipality) if part)
    data = {
        "@type": "Project",
        "name": project.name,
        "description": text,
        "url": url,
        "location": {"@type": "Place", "name": place},
        "foundingDate": str(project.start_year) if project.start_year else None,
        "dissolutionDate": str(project.end_year) if project.end_year else None,
        "sameAs": project.website or None,
        "member": [
            {"@type": "Organization", "name": partner.organisation}
            for partner in getattr(details, "partners", ())
            if partner.organisation
        ],
    }
    return Preview(
        "website", project.name, text, url, "sv", project.created_at, project.updated_at, data
    )


def _event_preview(context) -> Preview | None:
    event = context.get("event")
    if event is None or event.state == DRAFT:
        return None
    title, language = context.get("title") or event.title, context.get("language") or event.language
    text = html_text(context.get("summary_html") or event.summary_html, DESCRIPTION_LENGTH)
    url = site_url(url_for("events.event_detail", event_id=event.id))
    if event.online:
        location = {"@type": "VirtualLocation", "url": url}  # the join link is for participants
    else:
        location = {"@type": "Place", "name": event.address or "", "address": event.address or ""}
    status = "EventCancelled" if event.is_cancelled else "EventScheduled"
    mode = "OnlineEventAttendanceMode" if event.online else "OfflineEventAttendanceMode"
    data = {
        "@type": "Event",
        "name": title,
        "description": text,
        "url": url,
        "inLanguage": language,
        "startDate": _local_iso(event.starts_at),
        "endDate": _local_iso(event.ends_at),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": location,
        "organizer": {
            "@type": "Organization",
            "name": _("Tillsammans forum"),
            "url": site_url("/"),
        },
    }
    return Preview("website", title, text, url, language, event.created_at, event.updated_at, data)


_PREVIEWS = {
    "discussions.thread_page": _thread_preview,
    "lessons.lesson_detail": _lesson_preview,
    "projects.project_detail": _project_preview,
    "events.event_detail": _event_preview,
}


@pass_context
def link_preview(context) -> Preview | None:
    """The page's link preview and JSON-LD, or None (another page, or not public)."""
    make = _PREVIEWS.get(request.endpoint or "")
    preview = make(context) if make is not None else None
    if preview is not None:
        data = {key: value for key, value in preview.data.items() if value not in (None, [], "")}
        preview.data = {"@context": "https://schema.org", **data}
    return preview


TEMPLATE_GLOBALS = {"page_feeds": page_feeds, "link_preview": link_preview}
