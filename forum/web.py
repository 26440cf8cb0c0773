"""Rendering helpers: one URL serves a full page or, for htmx, a fragment."""

from __future__ import annotations

from typing import NoReturn
from urllib.parse import urlencode

from flask import Request, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import default_exceptions
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from .extensions import htmx

# The largest value of an INTEGER column on PostgreSQL (every id column is INTEGER); a larger
# number cannot name a row, and PostgreSQL would refuse to compare it with an integer column.
MAX_DATABASE_INT = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in every route: a number too large for the database is a 404, not an
    overflow."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class NulFreeParameters(ImmutableMultiDict):
    """Query and form parameters without NUL characters: no database text column can hold one
    (PostgreSQL refuses it), so it is dropped where input enters the application."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [
                (_without_nul(key), _without_nul(value)) for key, value in iter_multi_items(mapping)
            ]
        super().__init__(mapping)


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class ForumRequest(Request):
    parameter_storage_class = NulFreeParameters


def wants_fragment() -> bool:
    """True for an htmx request that is not a boosted page navigation."""
    return bool(htmx) and not htmx.boosted


def render(page: str, fragment: str | None = None, *, status: int = 200, **context) -> Response:
    """Render ``fragment`` for htmx requests and ``page`` otherwise.

    Responses vary on ``HX-Request`` so caches never mix the two.
    """
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def is_safe_redirect(target: str | None) -> bool:
    """Only local paths (``/something``), never ``//host`` or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ord(ch) < 32 for ch in target)


def current_path_with(**params: str) -> str:
    """The current URL with some query parameters replaced (used by the language switch)."""
    args = request.args.to_dict(flat=False)
    for key, value in params.items():
        args[key] = [value]
    query = urlencode([(k, v) for k, values in args.items() for v in values])
    return f"{request.path}?{query}" if query else request.path


def page_arg(name: str = "page") -> int:
    """``?page=N`` as a whole number from 1 to 999999; anything else is a 400 with a clear
    message."""
    raw = request.args.get(name, "1") or "1"
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 6:
        fail(400, _("The page number must be a whole number from 1 upwards."))
    return int(raw)


def fail(status: int, message: str) -> NoReturn:
    """Abort with ``status`` and a translated, user-facing ``message`` shown on the error page."""
    exc = default_exceptions[status](description=str(message))
    exc.forum_message = True  # type: ignore[attr-defined]
    raise exc
