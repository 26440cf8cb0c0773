"""Reads of events: the list with filters, a month of the calendar, one event, the feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, or_, select

from ..clock import utcnow
from ..core.models import Goal, Theme
from ..core.queries import goals_linked
from ..projects.models import Project
from .models import CANCELLED, DRAFT, PUBLISHED, Event, EventGoal, EventTheme
from .series_models import EventOrganiser
from .service import to_local, to_utc

# How long a cancelled event stays in the feed, so that subscribed calendars hear of it.
CANCELLED_IN_FEED = timedelta(days=30)
# The list's two orders: upcoming events soonest first, past ones latest first.
UPCOMING_ORDER = (col(Event.starts_at), col(Event.id))
PAST_ORDER = (col(Event.starts_at).desc(), col(Event.id).desc())


@dataclass
class EventList:
    upcoming: list[Event]
    past: list[Event]
    more_upcoming: bool = False
    more_past: bool = False


def _events(*, with_drafts, theme_id=None, goal_id=None, kind=None, series_id=None):
    """The events a reader may see, narrowed by the filters. ``with_drafts``: True for every
    draft, a user id for the drafts that user organises, False for none."""
    query = select(Event)
    if with_drafts is False:
        query = query.where(col(Event.state) != DRAFT)
    elif with_drafts is not True:
        organised = select(EventOrganiser.event_id).where(EventOrganiser.user_id == with_drafts)
        query = query.where((col(Event.state) != DRAFT) | col(Event.id).in_(organised))
    if series_id is not None:
        query = query.where(col(Event.series_id) == series_id)
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
    session: Session,
    *,
    with_drafts,
    upcoming_page: int = 1,
    past_page: int = 1,
    per_page: int = 20,
    **filters,
) -> EventList:
    """A page of upcoming events (soonest first) and one of past ones (latest first), each
    with whether more follow: two statements."""
    now = utcnow()
    base = _events(with_drafts=with_drafts, **filters)
    upcoming = session.exec(
        base.where(col(Event.ends_at) >= now)
        .order_by(*UPCOMING_ORDER)
        .offset((upcoming_page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    past = session.exec(
        base.where(col(Event.ends_at) < now)
        .order_by(*PAST_ORDER)
        .offset((past_page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return EventList(
        list(upcoming[:per_page]),
        list(past[:per_page]),
        more_upcoming=len(upcoming) > per_page,
        more_past=len(past) > per_page,
    )


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The UTC moments when ``month`` (its first day) starts and ends in local time."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = to_utc(datetime(month.year, month.month, 1), field_name="month")
    end = to_utc(datetime(following.year, following.month, 1), field_name="month")
    return start, end


def month_events(
    session: Session, month: date, *, with_drafts, **filters
) -> dict[date, list[Event]]:
    """The events that start in ``month`` (local time), by local day: one statement."""
    start, end = month_bounds(month)
    query = _events(with_drafts=with_drafts, **filters)
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
    return details_of(session, EventTheme, EventGoal, EventTheme.event_id, event)


def details_of(session: Session, themes_link, goals_link, key, item) -> EventDetails:
    """The themes, goals and project of an event or series (``key``: its column in the two
    link tables, named alike in each)."""
    name = key.key
    themes = session.exec(
        select(Theme)
        .join(themes_link, col(themes_link.theme_id) == Theme.id)
        .where(getattr(themes_link, name) == item.id)
        .order_by(col(Theme.position))
    ).all()
    goals = goals_linked(session, goals_link, getattr(goals_link, name), item.id)
    project = session.get(Project, item.project_id) if item.project_id else None
    return EventDetails(list(themes), list(goals), project)


def linked_ids(session: Session, event: Event) -> tuple[list[int], list[int]]:
    """The event's theme and goal ids (to fill the edit form)."""
    themes = session.exec(select(EventTheme.theme_id).where(EventTheme.event_id == event.id))
    goals = session.exec(select(EventGoal.goal_id).where(EventGoal.event_id == event.id))
    return list(themes), list(goals)


def public_events(**filters):
    """The events anyone may see (published and cancelled ones, never drafts) that ``filters``
    keep, unordered: the list's rows for an anonymous reader, and the API's."""
    return _events(with_drafts=False, **filters)


def feed_events(session: Session, *, limit: int = 500, **filters) -> list[Event]:
    """What ``/events.ics`` lists: published events, and those cancelled in the last 30 days
    (so subscribed calendars mark them cancelled instead of keeping a stale entry); ``filters``
    as on the list (theme, goal, kind, series)."""
    recently = utcnow() - CANCELLED_IN_FEED
    rows = session.exec(
        _events(with_drafts=False, **filters)
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
