"""Cursor pagination of the API's lists: keyset pages over the lists' own queries.

A page asks for the rows that come after the last row of the previous page in the list's order
(``WHERE (a, b, id) > (...)``, spelt out so that each key may run its own direction), never for
an offset: a row added or removed between two requests moves no other row across a page
boundary, so a client walking the pages sees every row that was there from start to end once.
The cursor is the last row's key values and the name of the order, in base64url JSON: opaque to
clients, checked when it comes back (a cursor of another order is a 400, not a wrong page).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from flask import request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, or_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from ...web import fail
from ...web.inputs import whole_number
from ..feeds import site_url

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class Key:
    """One column (or expression) of a list's order, its direction and the Python type of its
    values (``datetime``, ``int``, ``str`` or ``bool``)."""

    expression: object
    kind: type
    descending: bool = False

    def ordering(self):
        return self.expression.desc() if self.descending else self.expression.asc()

    def value(self, value):
        """``value`` as a bound parameter of this key's type (SQLAlchemy refuses to compare a
        boolean column with a bare True or False but for equality)."""
        return bindparam(None, value, type_=self.expression.type)

    def beyond(self, value):
        bound = self.value(value)
        return self.expression < bound if self.descending else self.expression > bound


@dataclass(frozen=True)
class Order:
    """A list's order: its name (carried in the cursor) and its keys, the last one unique."""

    name: str
    keys: tuple[Key, ...]

    @classmethod
    def of(cls, name: str, clauses) -> Order:
        """The order the ``ORDER BY`` ``clauses`` of a list's own query state."""
        keys = []
        for clause in clauses:
            descending = getattr(clause, "modifier", None) is operators.desc_op
            plain = isinstance(clause, UnaryExpression) and clause.modifier is not None
            expression = clause.element if plain else clause
            keys.append(Key(expression, expression.type.python_type, descending))
        return cls(name, tuple(keys))


@dataclass
class Page:
    items: list
    next_url: str | None
    limit: int


def limit_arg() -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    limit = whole_number(raw, low=1, high=MAX_LIMIT)
    if limit is None:
        fail(400, _("Give a limit between 1 and %(most)d.", most=MAX_LIMIT))
    return limit


def _encode(value):
    return ["d", value.isoformat()] if isinstance(value, datetime) else ["v", value]


def _decode(pair, kind: type):
    tag, value = pair
    if kind is datetime and tag == "d" and isinstance(value, str):
        return datetime.fromisoformat(value)
    if tag == "v" and type(value) is kind:  # a bool is not an int here, nor the other way
        return value
    raise ValueError(pair)


def make_cursor(order: Order, values) -> str:
    text = json.dumps({"o": order.name, "k": [_encode(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def read_cursor(order: Order) -> tuple | None:
    """The key values the request's ``cursor`` carries for ``order``; None without a cursor."""
    raw = request.args.get("cursor", "")
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if data["o"] != order.name or len(data["k"]) != len(order.keys):
            raise ValueError(data)
        return tuple(_decode(pair, key.kind) for pair, key in zip(data["k"], order.keys))
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        fail(400, _("This cursor is not one of this list's: start again from the first page."))


def after(keys: tuple[Key, ...], values: tuple):
    """Rows strictly after ``values`` in the order of ``keys``."""
    branches = []
    for position, key in enumerate(keys):
        equal = [k.expression == k.value(v) for k, v in zip(keys[:position], values[:position])]
        branches.append(and_(*equal, key.beyond(values[position])))
    return or_(*branches)


def paginate(session, query, order: Order) -> Page:
    """The page of ``query`` (unordered, of one entity) the request asks for, in ``order``,
    with the address of the next page when there is one: one statement."""
    limit = limit_arg()
    values = read_cursor(order)
    expressions = [key.expression for key in order.keys]
    ordered = query.order_by(None).add_columns(*expressions)
    if values is not None:
        ordered = ordered.where(after(order.keys, values))
    ordered = ordered.order_by(*(key.ordering() for key in order.keys)).limit(limit + 1)
    # execute, not exec: SQLModel's exec keeps only the entity of a select of one entity
    rows = session.execute(ordered).all()
    next_url = None
    if len(rows) > limit:
        next_url = page_url(make_cursor(order, tuple(rows[limit - 1][1:])))
    return Page([row[0] for row in rows[:limit]], next_url, limit)


def page_url(cursor: str) -> str:
    """This request's absolute address with ``cursor`` in place of its own."""
    args = request.args.to_dict(flat=False)
    args["cursor"] = [cursor]
    return site_url(url_for(request.endpoint, **(request.view_args or {}), **args))
