"""The health check: is the database reachable and the search directory writable?"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..db import get_session

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": _check_database(), "search_index": _check_search_dir()}
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


def _check_search_dir() -> str:
    path = Path(current_app.config["SEARCH_DIR"])
    if not path.is_dir():
        return f"error: search directory {path} does not exist"
    if not os.access(path, os.W_OK):
        return f"error: search directory {path} is not writable"
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".healthz-"):
            pass
    except OSError as exc:
        return f"error: search directory {path} is not writable ({exc.strerror})"
    return "ok"
