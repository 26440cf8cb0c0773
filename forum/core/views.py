"""The health check: the database, the job worker and every area's part, with the figures an
operator watches (see README, "Operating the forum")."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..db import get_session
from ..jobs import get_jobs
from .contributions import health_checks, health_figures

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    config = current_app.config
    worker, figures = get_jobs().health(max_silence=float(config["HEALTH_WORKER_SILENCE"]))
    checks = {"database": _check_database(), "worker": worker, **health_checks.collect()}
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "figures": {**figures, **health_figures.collect()},
    }
    return jsonify(body), 200 if healthy else 503


def _check_database() -> str:
    try:
        get_session().exec(text("SELECT 1")).one()
    except Exception as exc:  # any driver error is reported, never raised
        current_app.logger.warning("health check: database unavailable: %s", exc)
        return f"error: {exc.__class__.__name__}"
    return "ok"
