"""What enters the application: route numbers, query and form parameters, redirect targets."""

from __future__ import annotations

from flask import Request, current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter
from werkzeug.urls import iri_to_uri

from .rendering import fail

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


UPLOAD_LIMIT = "forum_upload_limit"  # a view attribute: the config key of its limit in MB
TEXT_FIELDS_MAX = 3 * 1024 * 1024  # the text fields of an upload form (pasted captions: 2 MB)
DISCARD_MAX_FACTOR = 2  # a refused body is read to the end up to twice the limit...
DISCARD_MIN = 64 * 1024 * 1024  # ...or this much, whichever is more


def accepts_uploads(limit_setting: str):
    """Let a view's requests be as large as ``config[limit_setting]`` MB instead of
    ``MAX_CONTENT_LENGTH``. The request knows its view before Flask-WTF's CSRF check reads the
    form, so the larger limit holds from the start."""

    def decorate(view):
        setattr(view, UPLOAD_LIMIT, limit_setting)
        return view

    return decorate


def upload_limit_mb(req: Request | None = None) -> int | None:
    """The limit in MB of the view ``req`` (the current request) goes to; None for an ordinary
    view."""
    req = req or request
    endpoint = req.url_rule.endpoint if req.url_rule else None
    setting = getattr(current_app.view_functions.get(endpoint), UPLOAD_LIMIT, None)
    return int(current_app.config[setting]) if setting else None


class ForumRequest(Request):
    parameter_storage_class = NulFreeParameters

    @property
    def max_content_length(self) -> int | None:
        limit = upload_limit_mb(self) if current_app and self._max_content_length is None else None
        return limit * 1024 * 1024 if limit else super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        if current_app and self._max_form_memory_size is None and upload_limit_mb(self):
            return TEXT_FIELDS_MAX
        return super().max_form_memory_size

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value


def discard_request_body() -> None:
    """Read and drop what is left of a refused request's body, so the client reads our 413 page
    instead of a connection reset (a server that closes a socket with unread data resets it).
    A body much larger than the limit is left unread: reading it would cost more."""
    budget = max(DISCARD_MAX_FACTOR * (request.max_content_length or 0), DISCARD_MIN)
    length = request.content_length
    if length is not None and length > budget:
        return
    stream = request.environ.get("wsgi.input")
    remaining = length if length is not None else budget
    try:
        while remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)
    except (OSError, ValueError):  # the client went away: nothing left to answer
        return


def is_safe_redirect(target: str | None) -> bool:
    """Only local paths (``/something``), never ``//host`` or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ord(ch) < 32 or ch == "\x7f" for ch in target)


def redirect_target(target: str | None) -> str | None:
    """Where a ``next`` field or parameter may send the user: a local path, with anything
    outside ASCII percent-encoded (it goes into a ``Location`` or ``HX-Redirect`` header, which
    holds Latin-1 only); None for anything else. Every ``next`` goes through here."""
    if not is_safe_redirect(target):
        return None
    try:
        return iri_to_uri(target)
    except ValueError:  # a path urllib cannot split
        return None


def whole_number(raw: str | None, *, low: int = 0, high: int = MAX_DATABASE_INT) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, None for anything else. Every number
    a request carries goes through here: ASCII digits only (``str.isdigit`` also takes "²" and
    "③", which ``int`` refuses), and no longer than ``high`` (``int`` refuses 4,300 digits)."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(high)):
        return None
    number = int(raw)
    return number if low <= number <= high else None


PAGE_MAX = 999_999


def page_arg(name: str = "page") -> int:
    """``?page=N`` as a whole number from 1 to 999999; anything else is a 400 with a clear
    message."""
    page = whole_number(request.args.get(name, "1") or "1", low=1, high=PAGE_MAX)
    if page is None:
        fail(400, _("The page number must be a whole number from 1 upwards."))
    return page
