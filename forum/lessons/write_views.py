"""Writing lessons: the one-form editor (draft, preview, publish), useful marks and featuring."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..accounts.handles import mention_links
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..domain import DomainError
from ..i18n import current_language
from ..markup import render_markdown
from ..permissions import Rule
from ..projects import queries as project_queries
from ..projects.rules import WRITER
from ..web import finish, render, requires, show_on_form
from ..web.forms import add_row, remove_row
from ..web.previews import render_preview
from . import service
from .forms import LessonForm, lesson_input_from
from .limits import lesson_create_limit
from .models import LESSON_SECTIONS, Lesson
from .prefill import prefill
from .views import bp, lesson_context, lesson_url, load_lesson

EDIT_LESSON = Rule(
    permissions.can_edit_lesson,
    _l("Only the lesson's author and moderators can edit it."),
    on=("lesson",),
)


def _lesson_form(**kwargs) -> LessonForm:
    session = get_session()
    return LessonForm(
        projects=project_queries.project_choices(session),
        themes=all_themes(session),
        goals=all_goals(session),
        **kwargs,
    )


def _preview(form: LessonForm) -> dict:
    links = mention_links(get_session())
    shown = render_preview(
        {name: getattr(form, name).data or "" for name in LESSON_SECTIONS},
        lambda text, name, budget: render_markdown(text, mentions=links, field=name, budget=budget),
    )
    return {
        "title": form.title.data or "",
        "sections": shown.html,
        "refusal": shown.refusal,
        "status": shown.status,
        "language": form.language.data or "sv",
    }


def _form_page(form, *, lesson=None, status: int = 200, preview=None):
    return render(
        "lessons/lesson_form.html",
        "lessons/_lesson_form.html",
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
        shown = _preview(form)
        return _form_page(form, lesson=lesson, preview=shown, status=shown["status"])
    if not form.validate():
        _show_every_problem(form)
        return _form_page(form, lesson=lesson, status=422)
    try:
        saved = save(form.to_input(), action == "publish")
    except DomainError as error:
        get_session().rollback()
        show_on_form(form, error)
        return _form_page(form, lesson=lesson, status=error.status)
    lesson_create_limit.mark_created()  # counts against the creation limit on /lessons/new only
    if not saved.is_published:
        message = _("The draft was saved. Only you can see it until you publish it.")
    elif action == "publish":
        message = _("The lesson was published.")
    else:
        message = _("The lesson was saved.")
    return finish(lesson_url(saved), message=message)


def _show_every_problem(form: LessonForm) -> None:
    """Add what the service would refuse to what the form found, one message per field, so the
    writer sees every problem in one round (the form alone does not know projects or themes)."""
    for problem in service.lesson_problems(session=get_session(), data=form.to_input()):
        if not (problem.field in form and form[problem.field].errors):
            show_on_form(form, problem)


@bp.route("/lessons/new", methods=["GET", "POST"])
@lesson_create_limit
@requires(WRITER)
def lesson_new():
    if request.method == "GET":
        initial = prefill(get_session(), request.args, language=current_language())
        return _form_page(_lesson_form(data=initial))
    return _handle_lesson_form(
        _lesson_form(),
        lambda data, publish: service.create_lesson(
            session=get_session(), actor=current_user, data=data, publish=publish
        ),
    )


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@requires(WRITER, EDIT_LESSON, load=load_lesson)
def lesson_edit(lesson_id: int, lesson: Lesson):
    session = get_session()
    if request.method == "GET":
        current = lesson_input_from(session, lesson)
        data = vars(current) | {"outcomes": [vars(o) for o in current.outcomes] + [{}] * 2}
        return _form_page(_lesson_form(data=data), lesson=lesson)
    return _handle_lesson_form(
        _lesson_form(),
        lambda data, publish: service.update_lesson(
            session=session, actor=current_user, lesson=lesson, data=data, publish=publish
        ),
        lesson=lesson,
    )


@bp.post("/lessons/preview")
@requires(WRITER)
def lesson_preview():
    """The htmx preview of the form being written (nothing is saved)."""
    shown = _preview(_lesson_form())
    return render(
        "lessons/_lesson_preview.html",
        status=shown["status"],
        preview=shown,
        sections=LESSON_SECTIONS,
    )


# --- actions on a lesson --------------------------------------------------------------------------
def _finish_action(lesson: Lesson, message: str):
    """The lesson page for a browser; the swapped action buttons for htmx."""
    return finish(
        lesson_url(lesson),
        message=message,
        fragment="lessons/_lesson_actions.html",
        **lesson_context(get_session(), lesson),
    )


@bp.post("/lessons/<int:lesson_id>/publish")
@requires(WRITER, load=load_lesson)
def lesson_publish(lesson_id: int, lesson: Lesson):
    service.publish_lesson(session=get_session(), actor=current_user, lesson=lesson)
    return finish(lesson_url(lesson), message=_("The lesson was published."))


@bp.post("/lessons/<int:lesson_id>/useful")
@requires(WRITER, load=load_lesson)
def lesson_useful(lesson_id: int, lesson: Lesson):
    marked = service.toggle_lesson_useful(session=get_session(), actor=current_user, lesson=lesson)
    message = (
        _("You marked the lesson as useful.") if marked else _("Your useful mark was removed.")
    )
    return _finish_action(lesson, message)


@bp.post("/lessons/<int:lesson_id>/featured")
@requires(WRITER, load=load_lesson)
def lesson_featured(lesson_id: int, lesson: Lesson):
    featured = request.form.get("featured") == "1"
    service.set_lesson_featured(
        session=get_session(), actor=current_user, lesson=lesson, featured=featured
    )
    message = (
        _("The lesson is now featured.") if featured else _("The lesson is no longer featured.")
    )
    return _finish_action(lesson, message)
