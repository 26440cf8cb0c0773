"""The posting rate limit of new threads and replies, per user (flask-limiter).

Only a request that really created a post counts: a preview, a form sent back with errors or a
repeated submit does not. The service announces every new post (``events.post_created``), and the
receiver here marks the request. Limits come from ``DISCUSSIONS_POST_LIMIT`` and, for accounts
younger than a day, the stricter ``DISCUSSIONS_NEW_ACCOUNT_POST_LIMIT``; over the limit is a 429.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_request_context
from flask_login import current_user

from .. import events
from ..clock import utcnow
from ..extensions import CreationLimit

NEW_ACCOUNT_AGE = timedelta(days=1)


def posting_limit() -> str:
    created = getattr(current_user, "created_at", None)
    if created is not None and utcnow() - created < NEW_ACCOUNT_AGE:
        return current_app.config["DISCUSSIONS_NEW_ACCOUNT_POST_LIMIT"]
    return current_app.config["DISCUSSIONS_POST_LIMIT"]


posting_rate_limit = CreationLimit(posting_limit, scope="discussions-posting", shared=True)


@events.post_created.connect
def _count_the_new_post(_sender, **_post) -> None:
    if has_request_context():
        posting_rate_limit.mark_created()
