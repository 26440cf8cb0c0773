"""Styled, translated error pages (and htmx fragments) for every 4xx/5xx."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .db import get_session
from .domain import DomainError
from .web import discard_request_body, wants_fragment

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Check what you entered and try again."),
    ),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has been moved.")),
    405: (_l("Method not allowed"), _l("That action cannot be done this way.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same time. Reload and try again.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Could not process"), _l("Some of what you entered needs fixing.")),
    429: (
        _l("Too many requests"),
        _l("You have done that too often. Wait a moment and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred on our side. It has been logged."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The forum is temporarily unavailable. Try again shortly."),
    ),
}

# Stable codes for programs reading a JSON error (the title and message are translated).
CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "unprocessable",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

CSRF_MESSAGE = _l(
    "This form has expired or did not come from this site. Reload the page and try again."
)


def wants_json() -> bool:
    """A data address (``/lessons.json``, ``/api/...``): its errors are JSON, never a page."""
    return request.path.endswith(".json") or request.path.startswith("/api/")


def render_error(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    if wants_json():
        code = CODES.get(status, "server_error" if status >= 500 else "bad_request")
        body = {
            "error": {
                "code": code,
                "status": status,
                "title": str(title),
                "message": detail or str(message),
            }
        }
        return jsonify(body), status
    if wants_fragment():
        # An action htmx sent for a part of a page (a reply, a quote, "load more") failed: a
        # page-sized error must not land among the posts. The short message goes next to the
        # control that sent it (static/js/htmx-feedback.js) and nothing is swapped, so what the
        # member typed stays where it was.
        body = render_template("errors/_htmx_error.html", message=detail or message)
        return body, status, {"HX-Reswap": "none", "Vary": "HX-Request"}
    return render_template(
        "errors/error.html", status=status, title=title, message=message, detail=detail
    ), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if status == 413:
            discard_request_body()
        detail = exc.description if getattr(exc, "forum_message", False) else None
        if isinstance(exc, CSRFError):
            detail = str(CSRF_MESSAGE)
        response = make_response(render_error(status, detail))
        allowed = getattr(exc, "valid_methods", None)
        if status == 405 and allowed:  # RFC 9110: a 405 says which methods the address takes
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(DomainError)
    def _refused(exc: DomainError):
        # A rule of a service refused the action: nothing of it may be committed.
        get_session().rollback()
        return render_error(exc.status, str(exc.message))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _http_error(exc)
        app.logger.exception("unhandled error", exc_info=exc)
        return render_error(InternalServerError.code)
