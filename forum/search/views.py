"""GET /search (page or htmx fragment) and the admins' glossary at /admin/glossary."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from flask import Blueprint, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..i18n import localized
from ..permissions import Rule, can_manage_glossary, is_member
from ..projects.queries import project_slug_choices
from ..web import announce, fail, finish, render, requires, show_on_form, wants_fragment
from . import get_search_service
from .forms import GlossaryDeleteForm, GlossaryGroupForm
from .glossary import GlossaryError, delete_group, list_groups, save_group
from .models import GlossaryGroup
from .query import KIND_BADGES, KIND_LABELS
from .saved import SORTS, params_from_args
from .service import KINDS, run_search

bp = Blueprint("search", __name__)


@bp.get("/search")
def search_page():
    started, cpu_started = time.perf_counter(), time.thread_time()
    problems: list[str] = []
    params = params_from_args(request.args, problems)
    session = get_session()
    result = run_search(session=session, service=get_search_service(), params=params)
    themes, goals = all_themes(session), all_goals(session)
    projects = project_slug_choices(session=session)
    context = dict(
        result=result,
        params=params,
        themes=themes,
        goals=goals,
        projects=projects,
        active_filters=active_filters(params, themes, goals, projects),
        problems=problems,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        kind_badges=KIND_BADGES,
        sorts=SORTS,
        search_url=search_url,
    )
    # The page's own active search targets #search-results; the header box loads the whole page.
    if wants_fragment() and request.headers.get("HX-Target") == "search-results":
        response = render("search/_results.html", **context)
    else:
        response = render("search/search.html", **context)
    response.vary.add("HX-Target")
    if result.searched and not result.unavailable:
        announce(response, ngettext("%(num)d result", "%(num)d results", result.total))
    # server-side time of the whole page and of the search alone, and the page's CPU time, which
    # a busy machine does not inflate (read by `make bench`)
    page_ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.thread_time() - cpu_started) * 1000
    response.headers["Server-Timing"] = (
        f"search;dur={result.elapsed_ms:.1f}, page;dur={page_ms:.1f}, cpu;dur={cpu_ms:.1f}"
    )
    return response


def active_filters(params, themes, goals, projects) -> list[str]:
    """The filters in force, in words: the summary line of the folded filters says them, so a
    phone shows what is chosen without opening them."""
    themes = {theme.slug: localized(theme, "name") for theme in themes}
    goals = {goal.number: f"{goal.number}. {localized(goal, 'name')}" for goal in goals}
    words = [str(KIND_LABELS.get(kind, kind)) for kind in params.kinds]
    words += [themes.get(slug, slug) for slug in params.themes]
    words += [{"sv": "Svenska", "en": "English"}.get(code, code) for code in params.langs]
    words += [goals.get(number, str(number)) for number in params.sdgs]
    if params.project:
        words.append(dict(projects).get(params.project, params.project))
    if params.author:
        words.append(_("Author: %(name)s", name=params.author))
    if params.date_from:
        words.append(_("From %(date)s", date=format_date(params.date_from)))
    if params.date_to:
        words.append(_("To %(date)s", date=format_date(params.date_to)))
    if params.every_post:
        words.append(_("Every matching post"))
    if params.sort != "relevance":
        words.append(_("Newest first"))
    return words


def search_url(**changes) -> str:
    """This search's URL on its first page with some arguments changed (None: left out)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    for name, value in changes.items():
        args[name] = [] if value is None else [str(value)]
    return (
        url_for("search.search_page")
        + "?"
        + urlencode([(name, value) for name, values in args.items() for value in values])
    )


# -- the glossary (admins) ----------------------------------------------------------------------
# Anonymous visitors get the 403 with its message too: the glossary is no page to log in for.
GLOSSARY_ADMIN = (
    Rule(is_member, _l("Log in as an administrator to manage the glossary."), sign_in=False),
    Rule(can_manage_glossary, _l("Only administrators can manage the glossary."), sign_in=False),
)


def load_group(group_id: int) -> dict:
    group = get_session().get(GlossaryGroup, group_id)
    if group is None:
        fail(404, _("This glossary group does not exist."))
    return {"group": group}


def _glossary_page(
    form: GlossaryGroupForm, *, status: int = 200, editing: GlossaryGroup | None = None
):
    groups = list_groups(get_session())
    return render(
        "search/glossary.html",
        "search/_glossary_admin.html",
        status=status,
        form=form,
        groups=groups,
        editing=editing,
        delete_form=GlossaryDeleteForm(),
    )


@bp.get("/admin/glossary")
@requires(GLOSSARY_ADMIN)
def glossary():
    return _glossary_page(GlossaryGroupForm())


@bp.post("/admin/glossary")
@requires(GLOSSARY_ADMIN)
def glossary_create():
    return _save(GlossaryGroupForm(), None)


@bp.get("/admin/glossary/<int:group_id>/edit")
@requires(GLOSSARY_ADMIN, load=load_group)
def glossary_edit(group_id: int, group: GlossaryGroup):
    form = GlossaryGroupForm(
        note=group.note,
        terms="\n".join(
            f"{lang}: {term}"
            for _g, terms in list_groups(get_session())
            if _g.id == group.id
            for lang, term in ((t.language, t.term) for t in terms)
        ),
    )
    return _glossary_page(form, editing=group)


@bp.post("/admin/glossary/<int:group_id>/edit")
@requires(GLOSSARY_ADMIN, load=load_group)
def glossary_update(group_id: int, group: GlossaryGroup):
    return _save(GlossaryGroupForm(), group)


def _save(form: GlossaryGroupForm, group: GlossaryGroup | None):
    if form.validate_on_submit():
        try:
            save_group(
                session=get_session(),
                actor=current_user,
                terms_text=form.terms.data,
                note=form.note.data or "",
                group=group,
            )
        except GlossaryError as error:
            show_on_form(form, error)
        else:
            return _saved(_("The glossary group was saved."))
    return _glossary_page(form, status=422, editing=group)


def _saved(message: str):
    """Plain: back to the glossary page. htmx: that page's list, count and message in place,
    with a fresh form for a new group and the glossary's address (an edit had its own)."""
    location = url_for("search.glossary")
    response = finish(
        location,
        message=message,
        fragment="search/_glossary_admin.html",
        form=GlossaryGroupForm(formdata=None),
        groups=list_groups(get_session()),
        editing=None,
        delete_form=GlossaryDeleteForm(),
    )
    if wants_fragment():
        response.headers["HX-Push-Url"] = location
    return announce(response, message)


@bp.post("/admin/glossary/<int:group_id>/delete")
@requires(GLOSSARY_ADMIN, load=load_group)
def glossary_delete(group_id: int, group: GlossaryGroup):
    if not GlossaryDeleteForm().validate_on_submit():
        fail(400, _("The form expired. Reload the page and try again."))
    delete_group(session=get_session(), actor=current_user, group=group)
    return finish(url_for("search.glossary"), message=_("The glossary group was deleted."))
