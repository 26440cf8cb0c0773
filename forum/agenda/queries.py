"""Reads of events: the list with filters, a month of the calendar, one event, the feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, or_, select

from ..clock import utcnow
from ..core.models import Goal, Theme
from ..projects.models import Project
from .models import CANCELLED, DRAFT, PUBLISHED, Event, EventGoal, EventTheme
from .service import to_local, to_utc

# How long a cancelled event stays in the feed, so that subscribed calendars hear of it.
CANCELLED_IN_FEED = timedelta(days=30)


@dataclass
class EventList:
    upcoming: list[Event]
    past: list[Event]


def _events(*, with_drafts: bool, theme_id=None, goal_id=None, kind=None):
    """The events a reader may see (drafts only ``with_drafts``), narrowed by the filters."""
    query = select(Event)
    if not with_drafts:
        query = query.where(col(Event.state) != DRAFT)
    if theme_id is not None:
        query = query.where(
            col(Event.id).in_(select(EventTheme.event_id).where(EventTheme.theme_id == theme_id))
        )
    if goal_id is not None:
        query = query.where(
            col(Event.id).in_(select(EventGoal.event_id).where(EventGoal.goal_id == goal_id))
        )
    if kind:
        query = query.where(col(Event.kind) == kind)
    return query


def list_events(
    session: Session, *, with_drafts: bool, theme_id=None, goal_id=None, kind=None, limit=50
) -> EventList:
    """Upcoming events (soonest first) and past ones (latest first): two statements."""
    now = utcnow()
    base = _events(with_drafts=with_drafts, theme_id=theme_id, goal_id=goal_id, kind=kind)
    upcoming = session.exec(
        base.where(col(Event.ends_at) >= now).order_by(col(Event.starts_at)).limit(limit)
    ).all()
    past = session.exec(
        base.where(col(Event.ends_at) < now).order_by(col(Event.starts_at).desc()).limit(limit)
    ).all()
    return EventList(list(upcoming), list(past))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The UTC moments when ``month`` (its first day) starts and ends in local time."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = to_utc(datetime(month.year, month.month, 1), field_name="month")
    end = to_utc(datetime(following.year, following.month, 1), field_name="month")
    return start, end


def month_events(
    session: Session, month: date, *, with_drafts: bool, theme_id=None, goal_id=None, kind=None
) -> dict[date, list[Event]]:
    """The events that start in ``month`` (local time), by local day: one statement."""
    start, end = month_bounds(month)
    query = _events(with_drafts=with_drafts, theme_id=theme_id, goal_id=goal_id, kind=kind)
    rows = session.exec(
        query.where(col(Event.starts_at) >= start, col(Event.starts_at) < end).order_by(
            col(Event.starts_at)
        )
    ).all()
    days: dict[date, list[Event]] = {}
    for event in rows:
        days.setdefault(to_local(event.starts_at).date(), []).append(event)
    return days


@dataclass
class EventDetails:
    themes: list[Theme]
    goals: list[Goal]
    project: Project | None


def event_details(session: Session, event: Event) -> EventDetails:
    themes = session.exec(
        select(Theme)
        .join(EventTheme, col(EventTheme.theme_id) == Theme.id)
        .where(EventTheme.event_id == event.id)
        .order_by(col(Theme.position))
    ).all()
    goals = session.exec(
        select(Goal)
        .join(EventGoal, col(EventGoal.goal_id) == Goal.id)
        .where(EventGoal.event_id == event.id)
        .order_by(col(Goal.number))
    ).all()
    project = session.get(Project, event.project_id) if event.project_id else None
    return EventDetails(list(themes), list(goals), project)


def linked_ids(session: Session, event: Event) -> tuple[list[int], list[int]]:
    """The event's theme and goal ids (to fill the edit form)."""
    themes = session.exec(select(EventTheme.theme_id).where(EventTheme.event_id == event.id))
    goals = session.exec(select(EventGoal.goal_id).where(EventGoal.event_id == event.id))
    return list(themes), list(goals)


def feed_events(session: Session, *, limit: int = 500) -> list[Event]:
    """What ``/events.ics`` lists: published events, and those cancelled in the last 30 days
    (so subscribed calendars mark them cancelled instead of keeping a stale entry)."""
    recently = utcnow() - CANCELLED_IN_FEED
    rows = session.exec(
        select(Event)
        .where(
            or_(
                col(Event.state) == PUBLISHED,
                (col(Event.state) == CANCELLED) & (col(Event.cancelled_at) >= recently),
            )
        )
        .order_by(col(Event.starts_at).desc())
        .limit(limit)
    ).all()
    return list(rows)
