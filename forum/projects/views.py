"""Project pages: list with filters, project page, history, create and edit (with revisions).

The lessons on these pages come from the areas that provide ``contributions``.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..domain import DomainError
from ..web import fail, finish, page_arg, register_template_globals, render, requires, show_on_form
from ..web.forms import add_row, remove_row
from . import labels, queries, service
from .contributions import project_list as list_contributions
from .contributions import project_page as page_contributions
from .filters import goal_arg, page_params, theme_and_goal_options, theme_arg
from .forms import ProjectForm
from .limits import project_create_limit
from .models import ProjectStatus
from .rules import EDIT_PROJECT, WRITER

bp = Blueprint("projects", __name__)


@bp.record_once
def _template_globals(state):
    """Label helpers as Jinja globals (macros see globals, not context)."""
    register_template_globals(
        state.app,
        "projects",
        {**labels.TEMPLATE_HELPERS, "project_of_thread": _project_of_thread},
    )


def _project_of_thread(thread):
    """The project a thread names (for ``projects/_thread_project.html``), or None."""
    project_id = getattr(thread, "project_id", None)
    return queries.project_by_id(session=get_session(), project_id=project_id)


def load_project(slug: str) -> dict:
    """The project at ``slug``; an old slug of a renamed project answers 301 (308 for a POST) to
    the same page at the current address."""
    session = get_session()
    project = queries.get_project_by_slug(session=session, slug=slug)
    if project is None:
        renamed = queries.project_by_old_slug(session=session, slug=slug)
        if renamed is not None:
            target = url_for(
                request.endpoint, **{**(request.view_args or {}), "slug": renamed.slug}
            )
            if request.query_string:
                target += "?" + request.query_string.decode("latin-1")
            abort(redirect(target, 301 if request.method in ("GET", "HEAD") else 308))
        fail(404, _("There is no project at this address."))
    return {"project": project}


def project_filters(session) -> queries.ProjectFilters:
    """The filters of the project list's query string (400 with a message for a bad one)."""
    args = request.args
    status = args.get("status", "")
    if status and status not in ProjectStatus.__members__:
        fail(400, _("Choose a status from the list."))
    sort = args.get("sort", "") or "name"
    if sort not in queries.PROJECT_SORTS:
        fail(400, _("Choose how to sort the projects."))
    return queries.ProjectFilters(
        theme=theme_arg(session, args.get("theme")),
        goal=goal_arg(session, args.get("sdg")),
        status=status or None,
        municipality=(args.get("municipality") or "").strip()[:120] or None,
        sort=sort,
    )


# --- list -----------------------------------------------------------------------------------------
@bp.get("/projects")
def project_list():
    session = get_session()
    filters = project_filters(session)
    listing = queries.list_projects(session=session, filters=filters, page=page_arg())
    municipalities = queries.municipality_choices(session=session)
    return render(
        "projects/list.html",
        "projects/_project_results.html",
        listing=listing,
        filters=filters,
        page_params=page_params(),
        options={
            **theme_and_goal_options(all_themes(session), all_goals(session)),
            "statuses": [(c.value, c.label) for c in labels.project_status_choices()],
            "municipalities": [(m, m) for m in municipalities],
        },
        **list_contributions.collect(session=session, projects=listing.items),
    )


# --- project page ---------------------------------------------------------------------------------
@bp.get("/projects/<slug>")
@requires(load=load_project)
def project_detail(slug: str, project):
    session = get_session()
    return render(
        "projects/detail.html",
        "projects/_project_detail.html",
        project=project,
        details=queries.project_details(session=session, project=project),
        threads=queries.linked_threads(session=session, project=project, viewer=current_user),
        **page_contributions.collect(session=session, project=project, viewer=current_user),
    )


@bp.get("/projects/<slug>/history")
@requires(load=load_project)
def project_history(slug: str, project):
    session = get_session()
    revisions = queries.project_revisions(session=session, project=project)
    return render(
        "projects/history.html",
        "projects/_history.html",
        project=project,
        revisions=revisions,
        editors=queries.revision_editors(session=session, revisions=revisions),
    )


# --- create and edit ------------------------------------------------------------------------------
def _project_form(**kwargs) -> ProjectForm:
    session = get_session()
    return ProjectForm(themes=all_themes(session), goals=all_goals(session), **kwargs)


def _form_page(form, *, project=None, status: int = 200):
    return render(
        "projects/project_form.html",
        "projects/_project_form.html",
        status=status,
        form=form,
        project=project,
    )


def _save_form(form, save, *, message: str, project=None):
    """Row buttons re-render; invalid input or a refused save comes back filled (422); a saved
    project is finished at its page."""
    if request.form.get("action") == "add_partner":
        add_row(form.partners)
        return _form_page(form, project=project)
    if "remove_partner" in request.form:
        remove_row(form.partners, request.form.get("remove_partner"))
        return _form_page(form, project=project)
    if not form.validate():
        return _form_page(form, project=project, status=422)
    try:
        saved = save(form.to_input())
    except DomainError as error:
        get_session().rollback()
        show_on_form(form, error)
        return _form_page(form, project=project, status=error.status)
    # htmx swaps the saved project's page in rather than reloading it
    return finish(url_for(".project_detail", slug=saved.slug), message=message, hx_swap=True)


def _create(data):
    project = service.create_project(session=get_session(), actor=current_user, data=data)
    project_create_limit.mark_created()
    return project


@bp.route("/projects/new", methods=["GET", "POST"])
@project_create_limit
@requires(WRITER)
def project_new():
    form = _project_form()
    if request.method == "GET":
        return _form_page(form)
    return _save_form(form, _create, message=_("The project was created."))


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@requires(WRITER, EDIT_PROJECT, load=load_project)
def project_edit(slug: str, project):
    session = get_session()
    if request.method == "GET":
        return _form_page(_project_form(data=_form_data(session, project)), project=project)
    return _save_form(
        _project_form(),
        lambda data: service.update_project(
            session=session, actor=current_user, project=project, data=data
        ),
        message=_("The project was saved."),
        project=project,
    )


def _form_data(session, project) -> dict:
    details = queries.project_details(session=session, project=project)
    partners = [
        {"organisation": p.organisation, "actor_type": p.actor_type.value} for p in details.partners
    ]
    contact = details.contact
    return {
        **service.project_fields(project),
        "website": project.website or "",
        "contact_name": f"@{contact.handle}" if contact and contact.handle else "",
        "theme_ids": [t.id for t in details.themes],
        "goal_ids": [g.id for g in details.goals],
        "partners": partners + [{}] * 2,
    }


# Registers the routes that name the project of a discussion thread on ``bp``.
from . import thread_views  # noqa: E402, F401
