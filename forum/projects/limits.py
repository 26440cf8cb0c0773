"""The rate limit on creating projects, per user (flask-limiter, like posting replies).

Only a request that really created a project counts: an added partner row or a form sent back with
errors does not. The limit is ``PROJECTS_CREATE_LIMIT`` (``FORUM_*`` overrides it); over the limit
answers 429.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import CreationLimit

project_create_limit = CreationLimit(
    lambda: current_app.config["PROJECTS_CREATE_LIMIT"], scope="projects-create"
)
