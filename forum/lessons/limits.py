"""The rate limit on creating lessons, per user (flask-limiter, like posting replies).

Only a request that really created a lesson counts: a preview, an added outcome row or a form sent
back with errors does not. The limit is ``LESSONS_CREATE_LIMIT`` (``FORUM_*`` overrides it); over
the limit answers 429.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import CreationLimit

lesson_create_limit = CreationLimit(
    lambda: current_app.config["LESSONS_CREATE_LIMIT"], scope="lessons-create"
)
