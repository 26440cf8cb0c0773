"""Reads of series: the ``?series=`` filter, what an occurrence's page shows of its series and
organisers, and the series page (a constant number of statements each)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..i18n import current_language
from ..web import fail
from ..web.inputs import whole_number
from . import organisers
from .models import Event
from .queries import EventDetails, details_of
from .series_models import EventRevision, EventSeries, EventSeriesGoal, EventSeriesTheme


def series_arg(session: Session, raw: str | None = None) -> EventSeries | None:
    """The series ``?series=<id>`` names (None without the parameter); a 400 otherwise."""
    raw = request.args.get("series", "") if raw is None else raw
    if not raw:
        return None
    series_id = whole_number(raw)
    series = session.get(EventSeries, series_id) if series_id is not None else None
    if series is None:
        fail(400, _("Choose a series from the list."))
    return series


def series_options(session: Session) -> list[tuple[str, str]]:
    """(id, title in the reader's language) of every series, for the filter."""
    rows = session.exec(select(EventSeries).order_by(col(EventSeries.title))).all()
    return [(str(s.id), s.text_in(current_language())[1]) for s in rows]


def series_of(session: Session, events: list[Event]) -> dict[int, EventSeries]:
    """The series of the occurrences among ``events``, by id (one statement, none if none)."""
    ids = {event.series_id for event in events if event.series_id is not None}
    if not ids:
        return {}
    rows = session.exec(select(EventSeries).where(col(EventSeries.id).in_(ids))).all()
    return {series.id: series for series in rows}


def has_history(session: Session, item: Event | EventSeries) -> bool:
    column = EventRevision.series_id if isinstance(item, EventSeries) else EventRevision.event_id
    found = session.exec(select(EventRevision.id).where(col(column) == item.id).limit(1))
    return found.first() is not None


def occurrence_context(session: Session, event: Event) -> dict:
    """What the event page adds: its organisers, its series, whether it has a history."""
    return {
        "organisers": organisers.organisers_of(session, event),
        "series": session.get(EventSeries, event.series_id) if event.series_id else None,
        "has_history": has_history(session, event),
    }


def series_details(session: Session, series: EventSeries) -> EventDetails:
    return details_of(
        session, EventSeriesTheme, EventSeriesGoal, EventSeriesTheme.series_id, series
    )
