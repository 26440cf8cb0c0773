"""The edit history of published events and of series: what each save changed.

A save takes a ``snapshot`` before and after (plain JSON values: times as ISO strings in UTC,
themes and goals as sorted id lists) and ``record`` keeps the fields that differ, with who and
when. Drafts keep no history: nobody but their organisers has seen them.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from .models import Event, EventGoal, EventTheme
from .series_models import EventRevision, EventSeries, EventSeriesGoal, EventSeriesTheme

TEXT_FIELDS = (
    "kind",
    "language",
    "title",
    "summary",
    "title_translation",
    "summary_translation",
    "join_url",
    "address",
    "meeting_point",
    "accessibility",
)
CONTENT_FIELDS = (*TEXT_FIELDS, "online", "project_id")
EVENT_FIELDS = ("state", "starts_at", "ends_at", *CONTENT_FIELDS)
SERIES_FIELDS = ("rule", "first_date", "start_time", "end_time", *CONTENT_FIELDS)


def _plain(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def snapshot(session: Session, item: Event | EventSeries) -> dict:
    """The fields a reader may follow in the history, with the themes and goals (two reads)."""
    if isinstance(item, EventSeries):
        names, themes, goals = SERIES_FIELDS, EventSeriesTheme, EventSeriesGoal
        link = {"themes": col(EventSeriesTheme.series_id), "goals": col(EventSeriesGoal.series_id)}
    else:
        names, themes, goals = EVENT_FIELDS, EventTheme, EventGoal
        link = {"themes": col(EventTheme.event_id), "goals": col(EventGoal.event_id)}
    values = {name: _plain(getattr(item, name)) for name in names}
    values["theme_ids"] = sorted(
        session.exec(select(themes.theme_id).where(link["themes"] == item.id)).all()
    )
    values["goal_ids"] = sorted(
        session.exec(select(goals.goal_id).where(link["goals"] == item.id)).all()
    )
    return values


def record(
    session: Session, *, actor, before: dict, item: Event | EventSeries
) -> EventRevision | None:
    """Keep what changed since ``before`` as a revision of ``item``; None when nothing did."""
    after = snapshot(session, item)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not changes:
        return None
    is_series = isinstance(item, EventSeries)
    revision = EventRevision(
        event_id=None if is_series else item.id,
        series_id=item.id if is_series else None,
        editor_id=getattr(actor, "id", None),
        changes=json.dumps(changes, ensure_ascii=False),
    )
    session.add(revision)
    session.flush()
    return revision


def revisions_of(session: Session, item: Event | EventSeries) -> list[EventRevision]:
    """Newest first."""
    column = EventRevision.series_id if isinstance(item, EventSeries) else EventRevision.event_id
    return list(
        session.exec(
            select(EventRevision)
            .where(col(column) == item.id)
            .order_by(col(EventRevision.created_at).desc(), col(EventRevision.id).desc())
        ).all()
    )
