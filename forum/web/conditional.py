"""Conditional GET for readers who are not logged in: an ``ETag`` on every page they read, and
``304 Not Modified`` when their copy is still the page the forum would send.

The tag is a digest of the page itself, so it can never claim a stale page is current: an edit,
a hide or a new reply changes the page and so the tag. Pages for members carry a CSRF token that
changes on every load, and are private anyway; they are left alone. ``no-cache`` makes browsers
(and any shared cache, which must also vary on the cookie and the language) ask every time.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_login import current_user
from werkzeug.wrappers import Response


def _conditional(response: Response) -> Response:
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.is_streamed
        or response.mimetype != "text/html"
        or getattr(current_user, "is_authenticated", False)
        or session.modified  # a page that set up a CSRF token or a choice is this reader's own
        or response.cache_control.no_store
    ):
        return response
    response.vary.update(("Cookie", "Accept-Language"))
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def init_conditional_get(app: Flask) -> None:
    app.after_request(_conditional)
