"""The home page: the themes with their activity, featured lessons and the latest threads."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..db import get_session
from ..discussions.queries import latest_threads, theme_overview

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    session = get_session()
    overview = theme_overview(session=session)
    return render_template(
        "site/home.html",
        themes=[stats.theme for stats in overview],
        overview=overview,
        listing=latest_threads(session=session),
    )
