"""The home page: the themes with their activity, featured lessons and the latest threads."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from ..db import get_session
from ..discussions.queries import latest_threads, theme_overview

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    session = get_session()
    overview = theme_overview(session=session)
    themes = [stats.theme for stats in overview]
    return render_template(
        "site/home.html",
        themes=themes,
        overview=overview,
        listing=latest_threads(session=session, themes={theme.id: theme for theme in themes}),
    )


@bp.get("/favicon.ico")
def favicon():
    # Clients that ask by the old name (feed readers, some browsers) find the page's icon.
    return redirect(url_for("static", filename="img/favicon.svg"), 301)


from . import pages  # noqa: E402,F401  (routes on this bp)
