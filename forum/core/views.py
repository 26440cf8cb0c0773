"""The health check: the database, the job worker and every area's part, with the figures an
operator watches (see README, "Operating the forum")."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..db import get_session
from ..jobs import get_jobs
from ..mail import mail_backlog
from .contributions import health_checks, health_figures

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    config = current_app.config
    worker, figures = get_jobs().health(max_silence=float(config["HEALTH_WORKER_SILENCE"]))
    database = _check_database()
    mail, mail_figures = _check_mail(float(config["HEALTH_PENDING_AGE"]))
    checks = {"database": database, "worker": worker, "mail": mail, **health_checks.collect()}
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "figures": {**figures, **mail_figures, **health_figures.collect()},
    }
    return jsonify(body), 200 if healthy else 503


def _check_mail(limit: float) -> tuple[str, dict]:
    """Mail is being sent: no message due for sending has waited longer than ``limit`` seconds
    (one waiting for its next attempt after the server refused it is not due yet)."""
    try:
        backlog = mail_backlog(get_session())
    except Exception as exc:  # the database's failure, reported there too
        current_app.logger.warning("health check: mail outbox unreadable: %s", exc)
        return "error: the mail outbox cannot be read", {}
    figures = {
        "mail_pending": backlog.pending,
        "mail_parked": backlog.parked,
        "mail_oldest_due_seconds": _rounded(backlog.oldest_due_seconds),
    }
    waited = backlog.oldest_due_seconds
    if waited is not None and waited > limit:
        return (
            f"error: mail due for {waited:.0f} s is not sent (is the job worker running?)",
            figures,
        )
    return "ok", figures


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


def _check_database() -> str:
    try:
        get_session().exec(text("SELECT 1")).one()
    except Exception as exc:  # any driver error is reported, never raised
        current_app.logger.warning("health check: database unavailable: %s", exc)
        return f"error: {exc.__class__.__name__}"
    return "ok"
