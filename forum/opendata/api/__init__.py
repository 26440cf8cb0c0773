"""The read-only JSON API under ``/api/v1/`` (``views``), its OpenAPI document and its data
dictionary page (``docs``), all read from the JSON Schemas of ``schemas``."""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    from .docs import bp as docs_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
