"""GET /search (page or htmx fragment) and the admins' glossary at /admin/glossary."""

from __future__ import annotations

import time
from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from ..core.models import Goal, Theme
from ..db import get_session
from ..permissions import can_manage_glossary
from ..web import fail, render, wants_fragment
from . import get_search_service
from .forms import GlossaryDeleteForm, GlossaryGroupForm
from .glossary import GlossaryError, delete_group, list_groups, save_group
from .models import GlossaryGroup
from .service import KINDS, SearchParams, run_search

bp = Blueprint("search", __name__)

SORTS = ("relevance", "newest")
MAX_PAGE = 500


def _date_arg(name: str, problems: list[str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        problems.append(
            _("The date “%(value)s” is not a date like 2024-05-31; it was ignored.", value=raw[:20])
        )
        return None


def _int_args(name: str, low: int, high: int) -> list[int]:
    out = []
    for raw in request.args.getlist(name):
        if raw.strip().isdigit() and low <= int(raw) <= high:
            out.append(int(raw))
    return out


def _params(problems: list[str]) -> SearchParams:
    args = request.args
    page_raw = args.get("page", "1")
    page = int(page_raw) if page_raw.isdigit() else 1
    return SearchParams(
        q=args.get("q", "")[:5000],
        kinds=[k for k in args.getlist("type") if k in KINDS],
        themes=[t[:80] for t in args.getlist("theme") if t][:10],
        langs=[lang for lang in args.getlist("language") if lang in ("sv", "en")],
        sdgs=_int_args("sdg", 1, 17),
        project=args.get("project", "")[:120].strip(),
        author=args.get("author", "")[:80].strip(),
        date_from=_date_arg("from", problems),
        date_to=_date_arg("to", problems),
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=min(max(page, 1), MAX_PAGE),
    )


@bp.get("/search")
def search_page():
    started = time.perf_counter()
    problems: list[str] = []
    params = _params(problems)
    session = get_session()
    result = run_search(session=session, service=get_search_service(), params=params)
    themes = session.exec(select(Theme).order_by(Theme.position)).all()
    goals = session.exec(select(Goal).order_by(Goal.number)).all()
    context = dict(
        result=result,
        params=params,
        themes=themes,
        goals=goals,
        problems=problems,
        kinds=KINDS,
        sorts=SORTS,
    )
    # The page's own active search targets #search-results; the header box loads the whole page.
    if wants_fragment() and request.headers.get("HX-Target") == "search-results":
        response = render("search/_results.html", "search/_results.html", **context)
    else:
        response = render("search/search.html", None, **context)
    response.vary.add("HX-Target")
    # server-side time of the whole page and of the search alone (read by `make bench`)
    response.headers["Server-Timing"] = (
        f"search;dur={result.elapsed_ms:.1f}, page;dur={(time.perf_counter() - started) * 1000:.1f}"
    )
    return response


# -- the glossary (admins) ----------------------------------------------------------------------
def _require_glossary_admin() -> None:
    if not current_user.is_authenticated:
        fail(403, _("Log in as an administrator to manage the glossary."))
    if not can_manage_glossary(current_user):
        fail(403, _("Only administrators can manage the glossary."))


def _group_or_404(group_id: int) -> GlossaryGroup:
    _require_glossary_admin()
    group = get_session().get(GlossaryGroup, group_id)
    if group is None:
        fail(404, _("This glossary group does not exist."))
    return group


def _glossary_page(
    form: GlossaryGroupForm, *, status: int = 200, editing: GlossaryGroup | None = None
):
    groups = list_groups(get_session())
    return render(
        "search/glossary.html",
        "search/_glossary_form.html",
        status=status,
        form=form,
        groups=groups,
        editing=editing,
        delete_form=GlossaryDeleteForm(),
    )


@bp.get("/admin/glossary")
def glossary():
    _require_glossary_admin()
    return _glossary_page(GlossaryGroupForm())


@bp.post("/admin/glossary")
def glossary_create():
    _require_glossary_admin()
    return _save(GlossaryGroupForm(), None)


@bp.get("/admin/glossary/<int:group_id>/edit")
def glossary_edit(group_id: int):
    group = _group_or_404(group_id)
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
def glossary_update(group_id: int):
    return _save(GlossaryGroupForm(), _group_or_404(group_id))


def _save(form: GlossaryGroupForm, group: GlossaryGroup | None):
    session = get_session()
    if form.validate_on_submit():
        try:
            save_group(
                session=session,
                actor=current_user,
                terms_text=form.terms.data,
                note=form.note.data or "",
                group=group,
            )
        except GlossaryError as exc:
            form.terms.errors = [*form.terms.errors, str(exc)]
        else:
            session.commit()
            flash(_("The glossary group was saved."), "success")
            return redirect(url_for("search.glossary"), 303)
    return _glossary_page(form, status=422, editing=group)


@bp.post("/admin/glossary/<int:group_id>/delete")
def glossary_delete(group_id: int):
    group = _group_or_404(group_id)
    if not GlossaryDeleteForm().validate_on_submit():
        fail(400, _("The form expired. Reload the page and try again."))
    session = get_session()
    delete_group(session=session, actor=current_user, group=group)
    session.commit()
    flash(_("The glossary group was deleted."), "success")
    return redirect(url_for("search.glossary"), 303)
