"""The filters of the project and lesson lists as the query string carries them.

An unknown theme or goal is a 400 with a message, not an empty list: the address is wrong.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from ..core.queries import goals_by_number, theme_by_slug
from ..web import fail
from . import labels


def theme_arg(session, slug: str | None):
    """The theme ``?theme=<slug>`` names, or None when there is no such parameter."""
    if not slug:
        return None
    theme = theme_by_slug(session, slug)
    if theme is None:
        fail(400, _("There is no theme with that name."))
    return theme


def goal_arg(session, raw: str | None):
    """The goal ``?sdg=<number>`` names, or None when there is no such parameter."""
    if not raw:
        return None
    goal = {str(number): goal for number, goal in goals_by_number(session).items()}.get(raw)
    if goal is None:
        fail(400, _("Choose a goal between 1 and 17."))
    return goal


def theme_and_goal_options(themes, goals) -> dict:
    """(value, label) pairs for the theme and goal selects of a list page."""
    return {
        "themes": [(t.slug, labels.localized_name(t)) for t in themes],
        "goals": [(g.number, labels.goal_label(g)) for g in goals],
    }


def page_params() -> dict:
    """The current query without ``page`` (for pagination links)."""
    return {key: value for key, value in request.args.items() if key != "page"}
