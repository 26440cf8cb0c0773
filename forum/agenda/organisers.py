"""Who organises an event or a series: its author and the co-organisers named by @handle.

Only accounts that may write events (organisers, moderators, admins) can be named: being listed
gives the right to edit and cancel, which a plain member's account does not carry.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, delete, select

from ..accounts import handles
from ..accounts.models import User
from ..domain import InvalidInput
from ..permissions import can_manage_events
from .models import Event
from .series_models import EventOrganiser, EventSeries, EventSeriesOrganiser

MAX_ORGANISERS = 20


def _table(item: Event | EventSeries):
    if isinstance(item, EventSeries):
        return EventSeriesOrganiser, col(EventSeriesOrganiser.series_id)
    return EventOrganiser, col(EventOrganiser.event_id)


def organiser_ids(session: Session, item: Event | EventSeries | None) -> list[int]:
    if item is None or item.id is None:
        return []
    table, key = _table(item)
    return list(session.exec(select(table.user_id).where(key == item.id)).all())


def organisers_of(session: Session, item: Event | EventSeries) -> list[User]:
    """The organisers' accounts, by name (deleted accounts have left the table)."""
    table, key = _table(item)
    return list(
        session.exec(
            select(User)
            .join(table, col(table.user_id) == User.id)
            .where(key == item.id)
            .order_by(col(User.display_name), col(User.id))
        ).all()
    )


def set_organisers(session: Session, item: Event | EventSeries, user_ids) -> None:
    table, key = _table(item)
    session.exec(delete(table).where(key == item.id))
    field = "series_id" if isinstance(item, EventSeries) else "event_id"
    session.add_all(table(**{field: item.id, "user_id": i}) for i in sorted(set(user_ids)))
    session.flush()


def parse_handles(session: Session, text: str, *, field: str = "organisers") -> list[int]:
    """The ids of the accounts ``@anna, @bo`` names; InvalidInput naming the first handle that is
    nobody's or belongs to someone who may not write events."""
    names = [handles.normalize(word) for word in re.split(r"[\s,;]+", text or "") if word]
    names = list(dict.fromkeys(name for name in names if name))
    if len(names) > MAX_ORGANISERS:
        raise InvalidInput(
            _l("Name at most %(max)d co-organisers.", max=MAX_ORGANISERS), field=field
        )
    found = {}
    if names:
        rows = session.exec(select(User).where(col(User.handle).in_(names))).all()
        found = {user.handle: user for user in rows}
    for name in names:
        user = found.get(name)
        if user is None or not user.is_active:
            raise InvalidInput(
                _l("No member has the handle @%(handle)s.", handle=name), field=field
            )
        if not can_manage_events(user):
            raise InvalidInput(
                _l(
                    "@%(handle)s is not an event organiser: an administrator can make them one.",
                    handle=name,
                ),
                field=field,
            )
    return [found[name].id for name in names]


def handles_text(session: Session, item: Event | EventSeries, *, leave_out=None) -> str:
    """The co-organisers as the form shows them: ``@anna @bo`` (without ``leave_out``, the
    author, who is an organiser anyway)."""
    return " ".join(
        f"@{user.handle}"
        for user in organisers_of(session, item)
        if user.handle and user.id != leave_out
    )
