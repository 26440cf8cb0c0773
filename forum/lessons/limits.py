"""The rate limit on creating lessons, per user (flask-limiter, like posting replies).

Only a request that really created a lesson counts: a preview, an added outcome row or a form sent
back with errors does not. The limit is ``LESSONS_CREATE_LIMIT`` (``FORUM_*`` overrides it); over
the limit answers 429.
"""

from __future__ import annotations

from flask import current_app, g

from ..extensions import limiter
from ..projects.limits import user_key


def mark_created() -> None:
    g.lesson_created = True


def _created(_response) -> bool:
    return bool(g.get("lesson_created"))


lesson_create_limit = limiter.limit(
    lambda: current_app.config["LESSONS_CREATE_LIMIT"],
    key_func=user_key,
    scope="lessons-create",
    methods=["POST"],
    deduct_when=_created,
)
