"""Feed entries from the areas' rows: threads, posts, lessons, events and search results.

Each builder loads what its entries name (authors, themes, goals, projects) in one batch per
kind, so a feed costs a constant number of statements whatever its length. The rows themselves
come from the areas' own queries for the public (see ``feed_views``).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import func
from sqlmodel import Session, select

from ..accounts.urls import public_name
from ..agenda.labels import kind_label
from ..agenda.models import Event, EventGoal, EventTheme
from ..agenda.service import to_local
from ..core.models import Goal, Theme
from ..core.queries import goals_of, themes_by_id
from ..discussions.models import Post, Thread, ThreadGoal
from ..discussions.queries import users_by_id
from ..i18n import current_language, format_datetime
from ..lessons.models import LESSON_SECTIONS, Lesson, LessonGoal
from .feeds import EPOCH, Category, FeedEntry, absolute_links, html_text, site_url

SUMMARY_LENGTH = 300


def _section_headings() -> dict[str, str]:
    return {
        "context": _("Context and challenge"),
        "what_was_done": _("What was done"),
        "results": _("Results"),
        "what_worked": _("What worked"),
        "what_did_not_work": _("What did not work"),
        "advice": _("Advice for others"),
    }


class Categories:
    """The categories of one feed's entries: a theme's and an SDG's, each named once in the
    reader's language (a feed names the same few dozens times)."""

    def __init__(self):
        self.language = current_language()
        self.themes_scheme, self.goals_scheme = site_url("/t/"), site_url("/goals/")
        self._made: dict[tuple[str, int], Category] = {}

    def _name(self, item) -> str:
        return getattr(item, f"name_{self.language}", None) or item.name_sv

    def of_theme(self, theme: Theme | None) -> tuple[Category, ...]:
        if theme is None:
            return ()
        key = ("theme", theme.id)
        if key not in self._made:
            self._made[key] = Category(theme.slug, self._name(theme), self.themes_scheme)
        return (self._made[key],)

    def of_goals(self, goals: list[Goal]) -> tuple[Category, ...]:
        for goal in goals:
            if ("goal", goal.id) not in self._made:
                label = f"{goal.number}. {self._name(goal)}"
                self._made["goal", goal.id] = Category(
                    f"sdg-{goal.number}", label, self.goals_scheme
                )
        return tuple(self._made["goal", goal.id] for goal in goals)


# -- threads and posts ----------------------------------------------------------------------------
def _opening_posts(session: Session, thread_ids: list[int]) -> dict[int, Post]:
    if not thread_ids:
        return {}
    first_ids = select(func.min(Post.id)).where(Post.thread_id.in_(thread_ids))
    first_ids = first_ids.group_by(Post.thread_id)
    posts = session.exec(select(Post).where(Post.id.in_(first_ids))).all()
    return {post.thread_id: post for post in posts}


def thread_entries(session: Session, threads: list[Thread]) -> list[FeedEntry]:
    """A thread as its opening post: what a reader of "new threads" wants to see."""
    ids = [thread.id for thread in threads]
    firsts = _opening_posts(session, ids)
    authors = users_by_id(session, [thread.author_id for thread in threads])
    goals = goals_of(session, ThreadGoal, ThreadGoal.thread_id, ids)
    themes = themes_by_id(session) if threads else {}
    entries, categories = [], Categories()
    for thread in threads:
        first = firsts.get(thread.id)
        visible = first is not None and first.is_visible
        edited = first.edited_at if visible and first.edited_at else None
        entries.append(
            FeedEntry(
                id=site_url(f"/threads/{thread.id}"),
                title=thread.title,
                url=site_url(
                    url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)
                ),
                author=public_name(authors.get(thread.author_id)),
                published=thread.created_at,
                updated=max(thread.created_at, edited) if edited else thread.created_at,
                language=thread.language,
                summary=html_text(first.body_html, SUMMARY_LENGTH) if visible else "",
                content_html=absolute_links(first.body_html) if visible else "",
                categories=categories.of_theme(themes.get(thread.theme_id))
                + categories.of_goals(goals.get(thread.id, [])),
            )
        )
    return entries


def post_entries(session: Session, thread: Thread, posts: list[Post]) -> list[FeedEntry]:
    """The visible posts of one thread (the caller leaves out hidden and deleted ones)."""
    authors = users_by_id(session, [post.author_id for post in posts])
    first = _opening_posts(session, [thread.id]).get(thread.id)
    entries = []
    for post in posts:
        author = public_name(authors.get(post.author_id))
        is_first = first is not None and post.id == first.id
        entries.append(
            FeedEntry(
                id=site_url(f"/posts/{post.id}"),
                title=thread.title
                if is_first
                else _("%(name)s in “%(title)s”", name=author, title=thread.title),
                url=site_url(url_for("discussions.post_permalink", post_id=post.id)),
                author=author,
                published=post.created_at,
                updated=post.edited_at or post.created_at,
                language=post.language,
                summary=html_text(post.body_html, SUMMARY_LENGTH),
                content_html=absolute_links(post.body_html),
            )
        )
    return entries


# -- lessons --------------------------------------------------------------------------------------
def lesson_content(lesson: Lesson) -> str:
    headings = _section_headings()
    parts = []
    for name in LESSON_SECTIONS:
        html = getattr(lesson, f"{name}_html")
        if html:
            parts.append(f"<h2>{headings[name]}</h2>\n{html}")
    return absolute_links("\n".join(parts))


def lesson_entries(session: Session, lessons: list[Lesson]) -> list[FeedEntry]:
    authors = users_by_id(session, [lesson.author_id for lesson in lessons])
    goals = goals_of(session, LessonGoal, LessonGoal.lesson_id, [lesson.id for lesson in lessons])
    themes = themes_by_id(session) if lessons else {}
    categories = Categories()
    return [
        FeedEntry(
            id=site_url(f"/lessons/{lesson.id}"),
            title=lesson.title,
            url=site_url(url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug)),
            author=public_name(authors.get(lesson.author_id)),
            published=lesson.published_at or lesson.created_at,
            updated=lesson.updated_at,
            language=lesson.language,
            summary=html_text(lesson.context_html, SUMMARY_LENGTH),
            content_html=lesson_content(lesson),
            categories=categories.of_theme(themes.get(lesson.theme_id))
            + categories.of_goals(goals.get(lesson.id, [])),
        )
        for lesson in lessons
    ]


# -- events ---------------------------------------------------------------------------------------
def event_when_where(event: Event) -> str:
    """The line a reader decides on: kind, "Fri 15 Jan 2027, 12:00–13:00", place (as the list)."""
    same_day = to_local(event.starts_at).date() == to_local(event.ends_at).date()
    starts = format_datetime(event.starts_at, "EEE d MMM y, HH:mm")
    ends = format_datetime(event.ends_at, "HH:mm" if same_day else "EEE d MMM y, HH:mm")
    place = _("Online") if event.online else (event.address or "")
    return " · ".join(part for part in (kind_label(event.kind), f"{starts}–{ends}", place) if part)


def event_entries(session: Session, events: list[Event]) -> list[FeedEntry]:
    """Events in the reader's language where they have a translation; a cancelled one says so
    in its title, so subscribed readers learn of it."""
    ids = [event.id for event in events]
    goals = goals_of(session, EventGoal, EventGoal.event_id, ids)
    theme_ids: dict[int, list[int]] = {event_id: [] for event_id in ids}
    if ids:
        links = session.exec(select(EventTheme).where(EventTheme.event_id.in_(ids))).all()
        for link in links:
            theme_ids[link.event_id].append(link.theme_id)
    themes = themes_by_id(session) if events else {}
    authors = users_by_id(session, [event.author_id for event in events])
    entries, categories, reader = [], Categories(), current_language()
    for event in events:
        language, title, summary_html = event.text_in(reader)
        if event.is_cancelled:
            title = _("Cancelled: %(title)s", title=title)
        line = event_when_where(event)
        entries.append(
            FeedEntry(
                id=site_url(f"/events/{event.id}"),
                title=title,
                url=site_url(url_for("events.event_detail", event_id=event.id)),
                author=public_name(authors.get(event.author_id)),
                published=event.created_at,
                updated=event.updated_at,
                language=language,
                summary=f"{line}. {html_text(summary_html, SUMMARY_LENGTH)}",
                content_html=f"<p>{escape(line)}</p>\n{absolute_links(summary_html)}",
                categories=tuple(
                    category
                    for theme_id in theme_ids[event.id]
                    for category in categories.of_theme(themes.get(theme_id))
                )
                + categories.of_goals(goals.get(event.id, [])),
            )
        )
    return entries


# -- search results -------------------------------------------------------------------------------
def search_entries(items) -> list[FeedEntry]:
    """The search page's result rows (``forum.search.service.ResultItem``): already reloaded
    from the database through each kind's visibility filter."""
    entries, categories = [], Categories()
    for item in items:
        url = site_url(item.url) if item.url.startswith("/") else item.url
        moment = item.created or EPOCH
        entries.append(
            FeedEntry(
                id=url,
                title=item.title,
                url=url,
                author=item.author or _("Tillsammans forum"),
                published=moment,
                updated=moment,
                language=item.lang,
                summary=html_text(item.snippet_html, SUMMARY_LENGTH),
                content_html=absolute_links(item.snippet_html),
                categories=categories.of_theme(item.theme),
            )
        )
    return entries
