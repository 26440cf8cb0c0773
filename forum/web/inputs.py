"""What enters the application: route numbers, query and form parameters, redirect targets."""

from __future__ import annotations

from flask import Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter

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


class ForumRequest(Request):
    parameter_storage_class = NulFreeParameters


def is_safe_redirect(target: str | None) -> bool:
    """Only local paths (``/something``), never ``//host`` or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ord(ch) < 32 for ch in target)


def page_arg(name: str = "page") -> int:
    """``?page=N`` as a whole number from 1 to 999999; anything else is a 400 with a clear
    message."""
    raw = request.args.get(name, "1") or "1"
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 6:
        fail(400, _("The page number must be a whole number from 1 upwards."))
    return int(raw)
