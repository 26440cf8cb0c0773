"""The new-lesson form filled from its address, so another page (a project, an event) can start a
lesson: ``/lessons/new?project=<slug or id>&theme=<slug>&sdg=3&sdg=11&link=<web address>``.

A value that names nothing, or is not a web address, is left out: the writer sees the form with
what could be used, never an error for a link someone else made.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from ..core.queries import goals_by_number, theme_by_slug
from ..projects import queries as project_queries
from ..projects.service import is_http_url
from ..web.inputs import whole_number
from .service import LINK_MAX

SDG_MAX = 17


def _project(session, raw: str):
    project = project_queries.get_project_by_slug(session=session, slug=raw) if raw else None
    project_id = whole_number(raw) if project is None else None
    if project_id is not None:
        project = project_queries.project_by_id(session=session, project_id=project_id)
    return project


def prefill(session, args: MultiDict, *, language: str) -> dict:
    """The new-lesson form's initial values from the query ``args``."""
    initial: dict = {"language": language}
    project = _project(session, args.get("project", "").strip())
    if project is not None:
        initial["project_id"] = project.id
    theme = theme_by_slug(session, args.get("theme", "").strip()) if args.get("theme") else None
    if theme is not None:
        initial["theme_id"] = theme.id
    numbers = {whole_number(raw, low=1, high=SDG_MAX) for raw in args.getlist("sdg")[:SDG_MAX]}
    numbers.discard(None)
    if numbers:
        goals = goals_by_number(session)
        initial["goal_ids"] = [goals[n].id for n in sorted(numbers) if n in goals]
    link = args.get("link", "").strip()
    if link and len(link) <= LINK_MAX and is_http_url(link):
        initial["links"] = link
    return initial
