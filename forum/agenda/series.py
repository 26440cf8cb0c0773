"""Series: a recurrence rule whose occurrences are ordinary events (keyword-only; flush, never
commit).

Occurrences exist as ``Event`` rows up to a horizon (``HORIZON_DAYS`` ahead, moved on daily by
the ``agenda.extend_series`` job), so registration, mail, recordings, search and discussion work
on each of them unchanged. Each keeps ``recurrence_date``, the local date the rule gave it.

Editing a series works like "this and following events" in Google Calendar or Outlook, from now
on: past occurrences are history and stay as they were. Future occurrences that were not edited
on their own take the new text, place and time; a date the new rule no longer gives is deleted
when nobody registered for it and cancelled otherwise (``event_cancelled`` tells the people
registered); new dates are added. An occurrence edited on its own (moved, retitled) or cancelled
is an exception the series never overwrites or revives, as in Google Calendar; Outlook drops
such exceptions when a series' time changes, which loses work people did on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, delete, func, select

from ..clock import utcnow
from ..db import get_engine
from ..domain import InvalidInput
from ..events import event_rescheduled
from ..jobs import crontab, job
from . import history, organisers, service
from .models import PUBLISHED, REGISTERED, WAITLISTED, Event, EventRegistration
from .recurrence import Rule, check_dates, local_starts, occurrence_utc, parse_rule
from .series_models import EventSeries, EventSeriesGoal, EventSeriesTheme

HORIZON_DAYS = 365


@dataclass
class SeriesInput:
    """The occurrences' text, place and links as an ``EventInput`` whose ``starts_local`` and
    ``ends_local`` are the first date's, and the rule."""

    event: service.EventInput
    rule: str


@dataclass
class Regenerated:
    updated: int = 0
    created: int = 0
    deleted: int = 0
    cancelled: int = 0


def _check(session: Session, data: SeriesInput) -> tuple[Rule, timedelta]:
    rule = parse_rule(data.rule)
    starts_local, duration = (
        data.event.starts_local,
        data.event.ends_local - data.event.starts_local,
    )
    if data.event.ends_local.date() != starts_local.date():
        raise InvalidInput(_l("An occurrence ends on the day it starts."), field="end_time")
    starts_at = occurrence_utc(starts_local)
    service._check(session, data.event, moments=(starts_at, starts_at + duration))
    check_dates(rule, starts_local)
    return rule, duration


def _apply(session: Session, series: EventSeries, data: SeriesInput, rule: Rule) -> None:
    event = data.event
    service.copy_shared_fields(series, event)
    series.rule = rule.text
    series.first_date = event.starts_local.date()
    series.start_time, series.end_time = event.starts_local.time(), event.ends_local.time()
    service.replace_links(session, series, event, EventSeriesTheme, EventSeriesGoal, "series_id")


def series_input(session: Session, series: EventSeries) -> SeriesInput:
    """What the series holds, as the form gives it (for the edit form and for regenerating)."""
    theme_ids = session.exec(
        select(EventSeriesTheme.theme_id).where(EventSeriesTheme.series_id == series.id)
    ).all()
    goal_ids = session.exec(
        select(EventSeriesGoal.goal_id).where(EventSeriesGoal.series_id == series.id)
    ).all()
    event = service.EventInput(
        kind=series.kind,
        language=series.language,
        title=series.title,
        summary=series.summary,
        starts_local=datetime.combine(series.first_date, series.start_time),
        ends_local=datetime.combine(series.first_date, series.end_time),
        online=series.online,
        join_url=series.join_url or "",
        address=series.address or "",
        meeting_point=series.meeting_point or "",
        accessibility=series.accessibility or "",
        title_translation=series.title_translation or "",
        summary_translation=series.summary_translation or "",
        project_id=series.project_id,
        theme_ids=list(theme_ids),
        goal_ids=list(goal_ids),
    )
    return SeriesInput(event=event, rule=series.rule)


def create_series(
    *,
    session: Session,
    actor,
    data: SeriesInput,
    organiser_ids=(),
    is_demo: bool = False,
    today: date | None = None,
) -> EventSeries:
    """A published series with its occurrences from the first date up to the horizon (past
    ones too: a series entered late still shows what already took place)."""
    service._require_writer(actor)
    rule, _duration = _check(session, data)
    series = EventSeries(
        kind=data.event.kind,
        title="",
        summary="",
        rule=rule.text,
        first_date=data.event.starts_local.date(),
        start_time=time(12),
        end_time=time(13),
        author_id=getattr(actor, "id", None),
        is_demo=is_demo,
    )
    _apply(session, series, data, rule)
    author = [actor.id] if getattr(actor, "id", None) is not None else []
    organisers.set_organisers(session, series, [*author, *organiser_ids])
    extend_series(session, series, today=today, since=None)
    return series


def _horizon(today: date | None) -> date:
    return (today or service.to_local(utcnow()).date()) + timedelta(days=HORIZON_DAYS)


def _wanted(series: EventSeries, *, up_to: date) -> dict[date, datetime]:
    first = datetime.combine(series.first_date, series.start_time)
    starts = local_starts(parse_rule(series.rule), first, up_to=datetime.combine(up_to, time.max))
    return {start.date(): start for start in starts}


def _duration(series: EventSeries) -> timedelta:
    return datetime.combine(date.min, series.end_time) - datetime.combine(
        date.min, series.start_time
    )


def _occurrence(data: SeriesInput, local: datetime, duration: timedelta):
    starts_at = occurrence_utc(local)
    return (
        replace(data.event, starts_local=local, ends_local=local + duration),
        starts_at,
        (starts_at + duration),
    )


def extend_series(
    session: Session, series: EventSeries, *, today: date | None = None, since: datetime | None
) -> int:
    """Add the occurrences the rule gives up to the horizon that do not exist yet and start
    after ``since`` (naive UTC; None: from the first date); how many were added."""
    horizon = max(_horizon(today), series.horizon or date.min)
    existing = set(
        session.exec(select(Event.recurrence_date).where(Event.series_id == series.id)).all()
    )
    data, duration = series_input(session, series), _duration(series)
    ids = organisers.organiser_ids(session, series)
    added = 0
    for day, local in _wanted(series, up_to=horizon).items():
        occurrence, starts_at, ends_at = _occurrence(data, local, duration)
        if day in existing or (since is not None and starts_at <= since):
            continue
        event = Event(
            kind=series.kind,
            title="",
            summary="",
            summary_html="",
            starts_at=starts_at,
            ends_at=ends_at,
            state=PUBLISHED,
            author_id=series.author_id,
            is_demo=series.is_demo,
            series_id=series.id,
            recurrence_date=day,
        )
        service._apply(session, event, occurrence, starts_at, ends_at)
        organisers.set_organisers(session, event, ids)
        added += 1
    series.horizon = horizon
    session.add(series)
    session.flush()
    return added


def update_series(
    *, session: Session, actor, series: EventSeries, data: SeriesInput, organiser_ids=None
) -> Regenerated:
    """Save the series (a revision of what changed) and bring its future occurrences in line."""
    service._require_writer(actor)
    service.require_manager(session, actor, series)
    rule, _duration = _check(session, data)
    was = history.snapshot(session, series)
    _apply(session, series, data, rule)
    if organiser_ids is not None:
        organisers.set_organisers(session, series, organiser_ids)
    history.record(session, actor=actor, before=was, item=series)
    return regenerate(session, actor=actor, series=series)


def _registered(session: Session, event_ids: list[int]) -> set[int]:
    if not event_ids:
        return set()
    rows = session.exec(
        select(EventRegistration.event_id)
        .where(
            col(EventRegistration.event_id).in_(event_ids),
            col(EventRegistration.state).in_([REGISTERED, WAITLISTED]),
        )
        .group_by(col(EventRegistration.event_id))
        .having(func.count() > 0)
    ).all()
    return set(rows)


def regenerate(session: Session, *, actor, series: EventSeries) -> Regenerated:
    """Future occurrences follow the series (see the module's note on exceptions)."""
    now, done = utcnow(), Regenerated()
    future = session.exec(
        select(Event).where(Event.series_id == series.id, col(Event.starts_at) > now)
    ).all()
    wanted = _wanted(series, up_to=series.horizon or _horizon(None))
    data, duration = series_input(session, series), _duration(series)
    ids = organisers.organiser_ids(session, series)
    registered = _registered(session, [event.id for event in future])
    gone = []
    for event in future:
        organisers.set_organisers(session, event, ids)
        if event.occurrence_changed or event.state != PUBLISHED:
            continue
        local = wanted.get(event.recurrence_date)
        if local is None and event.id in registered:
            service.cancel_event(session=session, actor=actor, event=event)
            done.cancelled += 1
        elif local is None:
            gone.append(event.id)
        elif _follow(session, actor, event, *_occurrence(data, local, duration)):
            done.updated += 1
    if gone:
        session.exec(delete(Event).where(col(Event.id).in_(gone)))
        done.deleted = len(gone)
    done.created = extend_series(session, series, since=now)
    return done


def _follow(session: Session, actor, event: Event, occurrence, starts_at, ends_at) -> bool:
    """Write the series' text and time into ``event``; True if anything changed."""
    before = [getattr(event, name) for name in service.SCHEDULING_FIELDS]
    was = history.snapshot(session, event)
    service._apply(session, event, occurrence, starts_at, ends_at)
    if history.record(session, actor=actor, before=was, item=event) is None:
        return False
    if before != [getattr(event, name) for name in service.SCHEDULING_FIELDS]:
        event.sequence += 1
        session.flush()
        event_rescheduled.send("agenda", session=session, actor=actor, event=event)
    return True


def extend_all(session: Session, *, today: date | None = None) -> int:
    """Every series' occurrences up to the horizon (the daily job); how many were added."""
    added = 0
    for series in session.exec(select(EventSeries).order_by(col(EventSeries.id))).all():
        added += extend_series(session, series, today=today, since=utcnow())
    return added


@job("agenda.extend_series", retries=0, periodic=crontab(hour="3", minute="17"))
def extend_series_job() -> None:
    """Daily: occurrences for the day that has just come within the horizon."""
    with Session(get_engine()) as session:
        extend_all(session)
        session.commit()
