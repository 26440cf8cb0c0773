"""The health check: is the database reachable, and is every area's part healthy?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..db import get_session
from .contributions import health_checks

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": _check_database(), **health_checks.collect()}
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    return jsonify(body), 200 if healthy else 503


def _check_database() -> str:
    try:
        get_session().exec(text("SELECT 1")).one()
    except Exception as exc:  # any driver error is reported, never raised
        current_app.logger.warning("health check: database unavailable: %s", exc)
        return f"error: {exc.__class__.__name__}"
    return "ok"
