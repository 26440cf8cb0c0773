"""Lesson pages: list with filters, open-data exports and the lesson with its discussion.

The editor and the actions on a lesson are in ``write_views`` (same blueprint).
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions
from ..core.licences import json_download, licensed
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..discussions import queries as discussion_queries
from ..discussions.models import Thread
from ..i18n import current_language
from ..markup import plain_text
from ..projects import queries as project_queries
from ..projects.filters import goal_arg, page_params, theme_and_goal_options, theme_arg
from ..web import fail, page_arg, register_template_globals, render, requires, wants_fragment
from ..web.fragments import digest
from ..web.spreadsheets import csv_response
from . import exports, labels, queries
from .models import Lesson, LessonType
from .service import LANGUAGES

bp = Blueprint("lessons", __name__)


@bp.record_once
def _template_globals(state):
    """Lesson labels and ``featured_lessons`` as Jinja globals (macros see globals, not
    context)."""
    register_template_globals(
        state.app,
        "lessons",
        {
            "lesson_type_label": labels.lesson_type_label,
            "lesson_language_name": labels.lesson_language_name,
            "featured_lessons": _featured_lessons_for_template,
            "featured_lessons_key": featured_lessons_key,
            "lesson_excerpt": lambda lesson, limit=220: plain_text(lesson.context, limit),
            "outcome_number": lambda value: format_decimal(value, format="#,##0.###"),
        },
    )


def _featured_lessons_for_template(theme=None, limit: int = 3):
    """Used by ``lessons/_featured_lessons.html`` on the home page and the theme pages."""
    theme_id = getattr(theme, "id", None)
    return queries.featured_lessons(session=get_session(), theme_id=theme_id, limit=limit)


def featured_lessons_key(lessons: list[Lesson]) -> tuple:
    """Everything ``_featured_lessons.html`` shows, for the fragment cache."""
    return (
        "featured-lessons",
        current_language(),
        tuple(
            (
                lesson.id,
                lesson.slug,
                lesson.title,
                lesson.language,
                lesson.lesson_type,
                lesson.useful_count,
                digest(lesson.context),
            )
            for lesson in lessons
        ),
    )


def lesson_url(lesson: Lesson) -> str:
    return url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug)


def load_lesson(lesson_id: int, slug: str | None = None) -> dict:
    """Unknown lessons and other people's drafts are both "not found"."""
    lesson = get_session().get(Lesson, lesson_id)
    if lesson is None or not permissions.can_view_lesson(current_user, lesson):
        fail(404, _("This lesson does not exist or is not published."))
    return {"lesson": lesson}


# --- list and exports -----------------------------------------------------------------------------
def lesson_filters(session) -> queries.LessonFilters:
    args = request.args
    project = None
    if args.get("project"):
        project = project_queries.get_project_by_slug(session=session, slug=args["project"])
        if project is None:
            fail(400, _("There is no project at this address."))
    lesson_type = args.get("type", "")
    if lesson_type and lesson_type not in LessonType.__members__:
        fail(400, _("Choose a lesson type from the list."))
    language = args.get("language", "")
    if language and language not in LANGUAGES:
        fail(400, _("Choose Swedish or English."))
    sort = args.get("sort", "") or "useful"
    if sort not in queries.LESSON_SORTS:
        fail(400, _("Choose how to sort the lessons."))
    return queries.LessonFilters(
        project=project,
        theme=theme_arg(session, args.get("theme")),
        goal=goal_arg(session, args.get("sdg")),
        lesson_type=lesson_type or None,
        language=language or None,
        sort=sort,
    )


def _filter_query(filters: queries.LessonFilters) -> dict:
    query = {
        "project": filters.project.slug if filters.project else None,
        "theme": filters.theme.slug if filters.theme else None,
        "sdg": filters.goal.number if filters.goal else None,
        "type": filters.lesson_type,
        "language": filters.language,
        "sort": filters.sort if filters.sort != "useful" else None,
    }
    return {k: v for k, v in query.items() if v}


@bp.get("/lessons")
def lesson_list():
    session = get_session()
    filters = lesson_filters(session)
    listing = queries.list_lessons(session=session, filters=filters, page=page_arg())
    return render(
        "lessons/lessons.html",
        "lessons/_lesson_results.html",
        listing=listing,
        filters=filters,
        filter_query=_filter_query(filters),
        page_params=page_params(),
        options={
            **theme_and_goal_options(all_themes(session), all_goals(session)),
            "types": [(c.value, c.label) for c in labels.lesson_type_choices()],
            "languages": list(labels.LANGUAGE_NAMES.items()),
            "projects": project_queries.project_slug_choices(session=session),
        },
        projects=queries.projects_of(session=session, lessons=listing.items),
        reply_counts=queries.reply_counts(session=session, lessons=listing.items),
        drafts=queries.drafts_of(session=session, user=current_user),
    )


def _export_records():
    session = get_session()
    return exports.lesson_records(session=session, filters=lesson_filters(session))


@bp.get("/lessons.json")
def lessons_json():
    return json_download(exports.as_json_document(_export_records()))


@bp.get("/lessons.csv")
def lessons_csv():
    rows = exports.csv_rows(_export_records())
    return licensed(csv_response(exports.CSV_COLUMNS, rows, filename="lessons.csv"))


# --- lesson page ----------------------------------------------------------------------------------
@bp.get("/lessons/<int:lesson_id>")
@bp.get("/lessons/<int:lesson_id>-<slug>")
@requires(load=load_lesson)
def lesson_detail(lesson_id: int, lesson: Lesson, slug: str | None = None):
    session = get_session()
    if slug != lesson.slug and not wants_fragment():
        return redirect(lesson_url(lesson), 301)
    thread = session.get(Thread, lesson.thread_id) if lesson.thread_id else None
    if thread is not None and not permissions.can_view_thread(current_user, thread):
        thread = None
    view = (
        discussion_queries.thread_view(session=session, thread=thread, viewer=current_user)
        if thread
        else None
    )
    return render(
        "lessons/lesson.html",
        "lessons/_lesson.html",
        **lesson_context(session, lesson),
        thread=thread,
        view=view,
        form=None,
    )


def lesson_context(session, lesson: Lesson) -> dict:
    """What the lesson page and its fragments need."""
    return {
        **queries.lesson_page(session=session, lesson=lesson, viewer=current_user),
        "licence_url": exports.LICENCE_URL,
    }


# Registers the editor and the actions on ``bp``, and what lessons add to other areas' pages.
from . import contributions, write_views  # noqa: E402, F401
