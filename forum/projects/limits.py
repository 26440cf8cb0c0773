"""Rate limits on creating projects and lessons, per user (flask-limiter, like posting replies).

Only a request that really created something counts: a preview, an added outcome row or a form
sent back with errors does not. Limits come from ``PROJECTS_CREATE_LIMIT`` and
``LESSONS_CREATE_LIMIT`` (``FORUM_*`` overrides them); over the limit answers 429.
"""

from __future__ import annotations

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter

DEFAULT_PROJECT_LIMIT = "5 per hour;20 per day"
DEFAULT_LESSON_LIMIT = "10 per hour;40 per day"


def _user_key() -> str:
    return (
        f"user:{current_user.id}" if current_user.is_authenticated else f"ip:{get_remote_address()}"
    )


def mark_created() -> None:
    g.projects_created = True


def _created(_response) -> bool:
    return bool(g.get("projects_created"))


project_create_limit = limiter.limit(
    lambda: current_app.config.get("PROJECTS_CREATE_LIMIT", DEFAULT_PROJECT_LIMIT),
    key_func=_user_key,
    scope="projects-create",
    methods=["POST"],
    deduct_when=_created,
)
lesson_create_limit = limiter.limit(
    lambda: current_app.config.get("LESSONS_CREATE_LIMIT", DEFAULT_LESSON_LIMIT),
    key_func=_user_key,
    scope="lessons-create",
    methods=["POST"],
    deduct_when=_created,
)
