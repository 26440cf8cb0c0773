"""Project pages: list with filters, project page, create and edit (with revisions).

Lesson routes are in ``lesson_views`` (same blueprint). Views are thin: load (404/403 here),
validate, call one service function, commit once, redirect (303) or render.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from .. import permissions
from ..accounts.models import User
from ..core.models import Goal, Theme
from ..db import get_session
from ..markup import plain_text
from ..web import fail, page_arg, register_template_globals, render, wants_fragment
from . import labels, lessons, service
from .errors import ProjectsError
from .forms import ProjectForm, add_row, remove_row
from .limits import mark_created, project_create_limit
from .models import Project, ProjectStatus

bp = Blueprint("projects", __name__)


@bp.record_once
def _template_globals(state):
    """Label helpers and ``featured_lessons`` as Jinja globals (macros see globals, not context)."""
    register_template_globals(
        state.app,
        "projects",
        {
            **labels.TEMPLATE_HELPERS,
            "featured_lessons": _featured_lessons_for_template,
            "lesson_excerpt": lambda lesson, limit=220: plain_text(lesson.context, limit),
            "project_of_thread": _project_of_thread,
            "outcome_number": lambda value: format_decimal(value, format="#,##0.###"),
        },
    )


def _project_of_thread(thread):
    """The project a thread names (for ``projects/_thread_project.html``), or None."""
    project_id = getattr(thread, "project_id", None)
    return get_session().get(Project, project_id) if project_id else None


def _featured_lessons_for_template(theme=None, limit: int = 3):
    """Used by ``projects/_featured_lessons.html`` on the home page and the theme pages."""
    theme_id = getattr(theme, "id", None)
    return lessons.featured_lessons(session=get_session(), theme_id=theme_id, limit=limit)


# --- shared helpers -------------------------------------------------------------------------------
def participant_required(view):
    """Anonymous: the login flow (or 401); logged in but unconfirmed or suspended: 403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not permissions.can_participate(current_user):
            if permissions.is_suspended(current_user):
                fail(403, _("Your account is suspended: you cannot do that right now."))
            fail(403, _("Confirm your e-mail address first."))
        return view(*args, **kwargs)

    return wrapper


def all_themes():
    return list(get_session().exec(select(Theme).order_by(Theme.position)))


def all_goals():
    return list(get_session().exec(select(Goal).order_by(Goal.number)))


def get_project_or_404(slug: str) -> Project:
    """The project at ``slug``; an old slug of a renamed project answers 301 (308 for a POST) to
    the same page at the current address."""
    session = get_session()
    project = service.get_project_by_slug(session=session, slug=slug)
    if project is None:
        renamed = service.project_by_old_slug(session=session, slug=slug)
        if renamed is not None:
            target = url_for(
                request.endpoint, **{**(request.view_args or {}), "slug": renamed.slug}
            )
            if request.query_string:
                target += "?" + request.query_string.decode("latin-1")
            abort(redirect(target, 301 if request.method in ("GET", "HEAD") else 308))
        fail(404, _("There is no project at this address."))
    return project


def attach_error(form, exc: ProjectsError) -> None:
    """Show a domain error next to its field (or at the top of the form)."""
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None and not hasattr(target, "entries"):
        target.errors = [*target.errors, str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))


def done(url: str, message: str):
    """After a successful POST: 303 for a browser (or a boosted form); htmx follows HX-Location."""
    flash(message, "success")
    if wants_fragment():
        response = current_app.response_class(status=204)
        response.headers["HX-Location"] = url
        return response
    return redirect(url, 303)


def theme_by_slug(themes, slug: str | None):
    if not slug:
        return None
    for theme in themes:
        if theme.slug == slug:
            return theme
    fail(400, _("There is no theme with that name."))


def goal_by_number(goals, raw: str | None):
    if not raw:
        return None
    for goal in goals:
        if str(goal.number) == raw:
            return goal
    fail(400, _("Choose a goal between 1 and 17."))


def filter_options(themes, goals, **extra) -> dict:
    """(value, label) pairs for the filter selects of the list pages."""
    return {
        "themes": [(t.slug, labels.localized_name(t)) for t in themes],
        "goals": [(g.number, labels.goal_label(g)) for g in goals],
        "statuses": labels.project_status_choices(),
        "types": labels.lesson_type_choices(),
        "languages": list(labels.LANGUAGE_NAMES.items()),
        **extra,
    }


def page_params() -> dict:
    """The current query without ``page`` (for pagination links)."""
    return {key: value for key, value in request.args.items() if key != "page"}


# --- list -----------------------------------------------------------------------------------------
@bp.get("/projects")
def project_list():
    session = get_session()
    themes, goals = all_themes(), all_goals()
    args = request.args
    status = args.get("status", "")
    if status and status not in ProjectStatus.__members__:
        fail(400, _("Choose a status from the list."))
    sort = args.get("sort", "") or "name"
    if sort not in service.PROJECT_SORTS:
        fail(400, _("Choose how to sort the projects."))
    filters = service.ProjectFilters(
        theme=theme_by_slug(themes, args.get("theme")),
        goal=goal_by_number(goals, args.get("sdg")),
        status=status or None,
        municipality=(args.get("municipality") or "").strip()[:120] or None,
        sort=sort,
    )
    listing = service.list_projects(session=session, filters=filters, page=page_arg())
    return render(
        "projects/list.html",
        "projects/_project_results.html",
        listing=listing,
        filters=filters,
        page_params=page_params(),
        options=filter_options(
            themes,
            goals,
            municipalities=[(m, m) for m in service.municipality_choices(session=session)],
        ),
        lesson_counts=service.lesson_counts(
            session=session, project_ids=[p.id for p in listing.items]
        ),
    )


# --- project page ---------------------------------------------------------------------------------
@bp.get("/projects/<slug>")
def project_detail(slug: str):
    session = get_session()
    project = get_project_or_404(slug)
    project_lessons = service.project_lessons(session=session, project=project, viewer=current_user)
    return render(
        "projects/detail.html",
        "projects/_project_detail.html",
        project=project,
        details=service.project_details(session=session, project=project),
        lessons=project_lessons,
        reply_counts=lessons.reply_counts(session=session, lessons=project_lessons),
        threads=service.linked_threads(session=session, project=project, viewer=current_user),
    )


@bp.get("/projects/<slug>/history")
def project_history(slug: str):
    session = get_session()
    project = get_project_or_404(slug)
    revisions = service.project_revisions(session=session, project=project)
    editors = {
        u.id: u
        for u in session.exec(select(User).where(User.id.in_({r.edited_by_id for r in revisions})))
    }
    return render(
        "projects/history.html",
        "projects/_history.html",
        project=project,
        revisions=revisions,
        editors=editors,
    )


# --- create and edit ------------------------------------------------------------------------------
def _form_page(form, *, project=None, status: int = 200):
    return render(
        "projects/project_form.html",
        "projects/_project_form.html",
        status=status,
        form=form,
        project=project,
    )


def _handle_project_form(form, save, *, project=None):
    """Row buttons re-render; invalid input comes back filled with 422; success calls ``save``."""
    if request.form.get("action") == "add_partner":
        add_row(form.partners)
        return _form_page(form, project=project)
    if "remove_partner" in request.form:
        remove_row(form.partners, request.form.get("remove_partner"))
        return _form_page(form, project=project)
    if not form.validate():
        return _form_page(form, project=project, status=422)
    session = get_session()
    try:
        saved = save(form.to_input())
    except ProjectsError as exc:
        session.rollback()
        attach_error(form, exc)
        return _form_page(form, project=project, status=exc.status)
    session.commit()
    return saved


@bp.route("/projects/new", methods=["GET", "POST"])
@project_create_limit
@participant_required
def project_new():
    form = ProjectForm(themes=all_themes(), goals=all_goals())
    if request.method == "GET":
        return _form_page(form)
    result = _handle_project_form(
        form,
        lambda data: service.create_project(session=get_session(), actor=current_user, data=data),
    )
    if not isinstance(result, Project):
        return result
    mark_created()
    return done(url_for(".project_detail", slug=result.slug), _("The project was created."))


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@participant_required
def project_edit(slug: str):
    session = get_session()
    project = get_project_or_404(slug)
    if not permissions.can_edit_project(current_user, project):
        fail(403, _("Only the project's creator and moderators can edit it."))
    if request.method == "GET":
        form = ProjectForm(
            themes=all_themes(), goals=all_goals(), data=_form_data(session, project)
        )
        return _form_page(form, project=project)
    form = ProjectForm(themes=all_themes(), goals=all_goals())
    result = _handle_project_form(
        form,
        lambda data: service.update_project(
            session=session, actor=current_user, project=project, data=data
        ),
        project=project,
    )
    if not isinstance(result, Project):
        return result
    return done(url_for(".project_detail", slug=result.slug), _("The project was saved."))


def _form_data(session, project: Project) -> dict:
    details = service.project_details(session=session, project=project)
    partners = [
        {"organisation": p.organisation, "actor_type": p.actor_type.value} for p in details.partners
    ]
    return {
        "name": project.name,
        "slug": project.slug,
        "district": project.district,
        "municipality": project.municipality,
        "status": project.status.value,
        "start_year": project.start_year,
        "end_year": project.end_year,
        "summary": project.summary,
        "website": project.website or "",
        "contact_name": details.contact.display_name if details.contact else "",
        "theme_ids": [t.id for t in details.themes],
        "goal_ids": [g.id for g in details.goals],
        "partners": partners + [{}] * 2,
    }


# Imported last: these modules import bp and helpers from here, then register their routes on it
# (the lesson routes; the thread-project route).
from . import lesson_views, thread_views  # noqa: E402, F401
