"""The rate limit on creating projects, per user (flask-limiter, like posting replies).

Only a request that really created a project counts: an added partner row or a form sent back with
errors does not. The limit is ``PROJECTS_CREATE_LIMIT`` (``FORUM_*`` overrides it); over the limit
answers 429.
"""

from __future__ import annotations

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter


def user_key() -> str:
    """Signed-in users are limited one by one, anonymous visitors by address."""
    return (
        f"user:{current_user.id}" if current_user.is_authenticated else f"ip:{get_remote_address()}"
    )


def mark_created() -> None:
    g.project_created = True


def _created(_response) -> bool:
    return bool(g.get("project_created"))


project_create_limit = limiter.limit(
    lambda: current_app.config["PROJECTS_CREATE_LIMIT"],
    key_func=user_key,
    scope="projects-create",
    methods=["POST"],
    deduct_when=_created,
)
