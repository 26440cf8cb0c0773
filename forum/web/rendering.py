"""One URL serves a full page or, for htmx, a fragment; failures carry a user-facing message."""

from __future__ import annotations

import json
from typing import NoReturn
from urllib.parse import urlencode

from flask import make_response, render_template, request
from flask.templating import Environment
from werkzeug.exceptions import default_exceptions
from werkzeug.wrappers import Response

from ..extensions import htmx


class ForumEnvironment(Environment):
    """Jinja's environment with the template globals in a plain dict.

    Jinja chains each template's globals to the environment's (a ``ChainMap``, so globals added
    later still show) and compares their names at every ``{% include %}`` and ``{% from %}``;
    with a ``ChainMap`` that comparison took a fifth of a thread page. Every global is registered
    in ``create_app``, before the first template loads, so a snapshot misses nothing.
    """

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def wants_fragment() -> bool:
    """True for an htmx request that is not a boosted page navigation, nor htmx asking for a
    whole page on Back when its own copy of that page is gone (``HX-History-Restore-Request``)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str | None = None, *, status: int = 200, **context) -> Response:
    """Render ``fragment`` for htmx requests and ``page`` otherwise (or always, without one).

    Responses vary on ``HX-Request`` so caches never mix the two.
    """
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    response.vary.add("HX-History-Restore-Request")
    return response


ANNOUNCE_EVENT = "forum:announce"


def announce(response: Response, message: str) -> Response:
    """Have ``static/js/htmx-feedback.js`` read ``message`` out in the page's polite live region.

    It travels in ``HX-Trigger`` (JSON, so ASCII: a header holds Latin-1 only) rather than in the
    swapped markup: a live region that is itself swapped in is new to screen readers, which
    announce changes to a region they already know.
    """
    if wants_fragment():
        response.headers["HX-Trigger"] = json.dumps({ANNOUNCE_EVENT: str(message)})
    return response


def current_path_with(**params: str) -> str:
    """The current URL with some query parameters replaced (used by the language switch)."""
    args = request.args.to_dict(flat=False)
    for key, value in params.items():
        args[key] = [value]
    query = urlencode([(k, v) for k, values in args.items() for v in values])
    return f"{request.path}?{query}" if query else request.path


def fail(status: int, message: str) -> NoReturn:
    """Abort with ``status`` and a translated, user-facing ``message`` shown on the error page."""
    exc = default_exceptions[status](description=str(message))
    exc.forum_message = True  # type: ignore[attr-defined]
    raise exc
