"""Open data: Atom and RSS feeds of every public list, the sitemap and robots.txt, the link
previews (Open Graph, Twitter card, schema.org JSON-LD) of thread, lesson, project and event
pages, the ``/data`` page with its DCAT-AP-SE catalogue and the nightly dumps, and the
read-only JSON API (``api``). It reads every content area and sits beside ``site`` at the top
of the layers."""

from __future__ import annotations

from flask import Flask


def init_opendata(app: Flask) -> None:
    """The feeds, the sitemap and robots.txt, /data, and the globals of
    ``opendata/_head.html``; importing ``dumps`` declares the nightly dump job."""
    from ..web import register_template_globals
    from . import dumps  # noqa: F401  (the job is declared when its module is imported)
    from .api import init_api
    from .data_views import bp as data_bp
    from .discovery import bp as discovery_bp
    from .feed_views import bp as feeds_bp
    from .previews import TEMPLATE_GLOBALS

    app.register_blueprint(feeds_bp)
    app.register_blueprint(discovery_bp)
    app.register_blueprint(data_bp)
    init_api(app)
    register_template_globals(app, "opendata", TEMPLATE_GLOBALS)
