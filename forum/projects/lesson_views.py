"""Lesson pages: list with filters, open-data exports, the lesson with its discussion, the
one-form editor (draft, preview, publish), useful marks and featuring."""

from __future__ import annotations

import json

from flask import Response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from .. import permissions
from ..accounts.models import User
from ..core.models import Theme
from ..db import get_session
from ..discussions import queries as discussion_queries
from ..discussions.forms import ReplyForm
from ..discussions.models import Thread
from ..i18n import current_language
from ..markup import render_markdown
from ..web import fail, page_arg, render, wants_fragment
from . import exports, lessons, service
from .errors import ProjectsError
from .forms import LessonForm, add_row, remove_row
from .limits import lesson_create_limit, mark_created
from .models import LESSON_SECTIONS, Lesson, LessonType, Project
from .views import (
    all_goals,
    all_themes,
    attach_error,
    bp,
    done,
    filter_options,
    goal_by_number,
    page_params,
    participant_required,
    theme_by_slug,
)


def lesson_url(lesson: Lesson) -> str:
    return url_for("projects.lesson_detail", lesson_id=lesson.id, slug=lesson.slug)


def get_lesson_or_404(lesson_id: int) -> Lesson:
    """Unknown lessons and other people's drafts are both "not found"."""
    lesson = get_session().get(Lesson, lesson_id)
    if lesson is None or not permissions.can_view_lesson(current_user, lesson):
        fail(404, _("This lesson does not exist or is not published."))
    return lesson


# --- list and exports -----------------------------------------------------------------------------
def _lesson_filters(themes, goals) -> lessons.LessonFilters:
    args = request.args
    project = None
    if args.get("project"):
        project = service.get_project_by_slug(session=get_session(), slug=args["project"])
        if project is None:
            fail(400, _("There is no project at this address."))
    lesson_type = args.get("type", "")
    if lesson_type and lesson_type not in LessonType.__members__:
        fail(400, _("Choose a lesson type from the list."))
    language = args.get("language", "")
    if language and language not in lessons.LANGUAGES:
        fail(400, _("Choose Swedish or English."))
    sort = args.get("sort", "") or "useful"
    if sort not in lessons.LESSON_SORTS:
        fail(400, _("Choose how to sort the lessons."))
    return lessons.LessonFilters(
        project=project,
        theme=theme_by_slug(themes, args.get("theme")),
        goal=goal_by_number(goals, args.get("sdg")),
        lesson_type=lesson_type or None,
        language=language or None,
        sort=sort,
    )


def _filter_query(filters: lessons.LessonFilters) -> dict:
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
    themes, goals = all_themes(), all_goals()
    filters = _lesson_filters(themes, goals)
    listing = lessons.list_lessons(session=session, filters=filters, page=page_arg())
    projects = {
        p.id: p
        for p in session.exec(
            select(Project).where(Project.id.in_({x.project_id for x in listing.items}))
        )
    }
    return render(
        "projects/lessons.html",
        "projects/_lesson_results.html",
        listing=listing,
        filters=filters,
        filter_query=_filter_query(filters),
        page_params=page_params(),
        options=filter_options(
            themes, goals, projects=service.project_slug_choices(session=session)
        ),
        projects=projects,
        reply_counts=lessons.reply_counts(session=session, lessons=listing.items),
        drafts=lessons.drafts_of(session=session, user=current_user),
    )


def _export_records():
    filters = _lesson_filters(all_themes(), all_goals())
    return exports.lesson_records(
        session=get_session(), filters=filters, base_url=request.host_url.rstrip("/")
    )


def _licence_headers(response: Response) -> Response:
    response.headers["Link"] = f'<{exports.LICENCE_URL}>; rel="license"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/lessons.json")
def lessons_json():
    body = json.dumps(exports.as_json_document(_export_records()), ensure_ascii=False, indent=2)
    return _licence_headers(Response(body, mimetype="application/json"))


@bp.get("/lessons.csv")
def lessons_csv():
    response = Response(exports.as_csv(_export_records()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="lessons.csv"'
    return _licence_headers(response)


# --- lesson page ----------------------------------------------------------------------------------
@bp.get("/lessons/<int:lesson_id>")
@bp.get("/lessons/<int:lesson_id>-<slug>")
def lesson_detail(lesson_id: int, slug: str | None = None):
    session = get_session()
    lesson = get_lesson_or_404(lesson_id)
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
        "projects/lesson.html",
        "projects/_lesson.html",
        **lesson_context(session, lesson),
        thread=thread,
        view=view,
        form=ReplyForm(),
    )


def lesson_context(session, lesson: Lesson) -> dict:
    """What the lesson page and its fragments need."""
    author = session.get(User, lesson.author_id) if lesson.author_id else None
    return {
        "lesson": lesson,
        "project": session.get(Project, lesson.project_id),
        "theme": session.get(Theme, lesson.theme_id),
        "goals": lessons.lesson_goals(session=session, lesson=lesson),
        "outcomes": lessons.lesson_outcomes(session=session, lesson=lesson),
        "author": author if author is not None and author.deleted_at is None else None,
        "marked_useful": lessons.has_marked_useful(
            session=session, user=current_user, lesson=lesson
        ),
        "licence_url": exports.LICENCE_URL,
    }


# --- write: one form, draft / preview / publish ---------------------------------------------------
def _lesson_form(**kwargs) -> LessonForm:
    return LessonForm(
        projects=service.project_choices(get_session()),
        themes=all_themes(),
        goals=all_goals(),
        **kwargs,
    )


def _preview(form: LessonForm) -> dict:
    sections = {name: render_markdown(getattr(form, name).data or "") for name in LESSON_SECTIONS}
    return {
        "title": form.title.data or "",
        "sections": sections,
        "language": form.language.data or "sv",
    }


def _form_page(form, *, lesson=None, status: int = 200, preview=None):
    return render(
        "projects/lesson_form.html",
        "projects/_lesson_form.html",
        status=status,
        form=form,
        lesson=lesson,
        preview=preview,
        sections=LESSON_SECTIONS,
    )


def _handle_lesson_form(form, save, *, lesson=None):
    action = request.form.get("action", "save")
    if action == "add_outcome":
        add_row(form.outcomes)
        return _form_page(form, lesson=lesson)
    if "remove_outcome" in request.form:
        remove_row(form.outcomes, request.form.get("remove_outcome"))
        return _form_page(form, lesson=lesson)
    if action == "preview":
        return _form_page(form, lesson=lesson, preview=_preview(form))
    if not form.validate():
        return _form_page(form, lesson=lesson, status=422)
    session = get_session()
    try:
        saved = save(form.to_input(), action == "publish")
    except ProjectsError as exc:
        session.rollback()
        attach_error(form, exc)
        return _form_page(form, lesson=lesson, status=exc.status)
    session.commit()
    mark_created()  # counts against the creation limit on /lessons/new only
    message = (
        _("The lesson was published.")
        if saved.is_published and action == "publish"
        else _("The lesson was saved.")
    )
    if not saved.is_published:
        message = _("The draft was saved. Only you can see it until you publish it.")
    return done(lesson_url(saved), message)


@bp.route("/lessons/new", methods=["GET", "POST"])
@lesson_create_limit
@participant_required
def lesson_new():
    if request.method == "GET":
        initial = {"language": current_language()}
        project = service.get_project_by_slug(
            session=get_session(), slug=request.args.get("project", "")
        )
        if project is not None:
            initial["project_id"] = project.id
        return _form_page(_lesson_form(data=initial))
    return _handle_lesson_form(
        _lesson_form(),
        lambda data, publish: lessons.create_lesson(
            session=get_session(), actor=current_user, data=data, publish=publish
        ),
    )


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@participant_required
def lesson_edit(lesson_id: int):
    session = get_session()
    lesson = get_lesson_or_404(lesson_id)
    if not permissions.can_edit_lesson(current_user, lesson):
        fail(403, _("Only the lesson's author and moderators can edit it."))
    if request.method == "GET":
        current = lessons.lesson_input_from(session, lesson)
        data = vars(current) | {"outcomes": [vars(o) for o in current.outcomes] + [{}] * 2}
        return _form_page(_lesson_form(data=data), lesson=lesson)
    return _handle_lesson_form(
        _lesson_form(),
        lambda data, publish: lessons.update_lesson(
            session=session, actor=current_user, lesson=lesson, data=data, publish=publish
        ),
        lesson=lesson,
    )


@bp.post("/lessons/preview")
@participant_required
def lesson_preview():
    """The htmx preview of the form being written (nothing is saved)."""
    form = _lesson_form()
    return render("projects/_lesson_preview.html", preview=_preview(form), sections=LESSON_SECTIONS)


# --- actions on a lesson --------------------------------------------------------------------------
def _action(lesson: Lesson, call, message):
    """Run one service call; ``message`` turns its result into the flash text."""
    session = get_session()
    try:
        result = call()
    except ProjectsError as exc:
        session.rollback()
        fail(exc.status, str(exc.message))
    session.commit()
    if wants_fragment():
        return render("projects/_lesson_actions.html", **lesson_context(session, lesson))
    return done(lesson_url(lesson), message(result))


@bp.post("/lessons/<int:lesson_id>/publish")
@participant_required
def lesson_publish(lesson_id: int):
    lesson = get_lesson_or_404(lesson_id)
    session = get_session()
    try:
        lessons.publish_lesson(session=session, actor=current_user, lesson=lesson)
    except ProjectsError as exc:
        session.rollback()
        fail(exc.status, str(exc.message))
    session.commit()
    return done(lesson_url(lesson), _("The lesson was published."))


@bp.post("/lessons/<int:lesson_id>/useful")
@participant_required
def lesson_useful(lesson_id: int):
    lesson = get_lesson_or_404(lesson_id)
    return _action(
        lesson,
        lambda: lessons.toggle_lesson_useful(
            session=get_session(), actor=current_user, lesson=lesson
        ),
        lambda marked: (
            _("You marked the lesson as useful.") if marked else _("Your useful mark was removed.")
        ),
    )


@bp.post("/lessons/<int:lesson_id>/featured")
@participant_required
def lesson_featured(lesson_id: int):
    lesson = get_lesson_or_404(lesson_id)
    featured = request.form.get("featured") == "1"
    return _action(
        lesson,
        lambda: lessons.set_lesson_featured(
            session=get_session(), actor=current_user, lesson=lesson, featured=featured
        ),
        lambda _lesson: (
            _("The lesson is now featured.") if featured else _("The lesson is no longer featured.")
        ),
    )
