"""Writing events: create, edit, publish and cancel (keyword-only; flush, never commit).

Times arrive as naive local wall-clock times in ``LOCAL_ZONE`` and are stored as naive UTC. A
wall-clock time that does not exist (the hour skipped in spring) or exists twice (the hour
repeated in autumn) is refused rather than guessed: a webinar an hour off is worse than a form
that asks again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, delete, select

from ..clock import utcnow
from ..core.models import Theme
from ..core.queries import unknown_goal_ids
from ..domain import Conflict, InvalidInput, NotAllowed
from ..events import event_cancelled, event_rescheduled
from ..markup import render_markdown
from ..permissions import can_manage_event, can_manage_events
from ..projects.models import Project
from . import history, organisers
from .discussion import close_discussion, sync_discussion
from .models import (
    CANCELLED,
    DRAFT,
    KINDS,
    PUBLISHED,
    QUESTIONS,
    STUDY_VISIT,
    Event,
    EventGoal,
    EventTheme,
)
from .registration import fill_seats

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")
LANGUAGES = ("sv", "en")
# What a calendar program must hear about again: a change raises the iCalendar SEQUENCE.
SCHEDULING_FIELDS = ("starts_at", "ends_at", "online", "join_url", "address", "meeting_point")


@dataclass
class EventInput:
    kind: str
    language: str
    title: str
    summary: str
    starts_local: datetime
    ends_local: datetime
    online: bool = False
    join_url: str = ""
    address: str = ""
    meeting_point: str = ""
    accessibility: str = ""
    title_translation: str = ""
    summary_translation: str = ""
    project_id: int | None = None
    theme_ids: list[int] = field(default_factory=list)
    goal_ids: list[int] = field(default_factory=list)
    capacity: int | None = None  # seats; None: no limit
    questions: list[str] = field(default_factory=list)  # keys of QUESTIONS asked at registration


def to_utc(local: datetime, *, field_name: str) -> datetime:
    """The naive UTC moment of a naive Stockholm wall-clock time; refuses gaps and overlaps."""
    early = local.replace(tzinfo=LOCAL_ZONE, fold=0)
    late = local.replace(tzinfo=LOCAL_ZONE, fold=1)
    if early.utcoffset() != late.utcoffset():
        moment = early.astimezone(UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)
        if moment != local:
            raise InvalidInput(
                _l(
                    "%(time)s does not exist in Swedish time: the clocks are put forward that "
                    "night. Choose a time outside the skipped hour.",
                    time=local.strftime("%Y-%m-%d %H:%M"),
                ),
                field=field_name,
            )
        raise InvalidInput(
            _l(
                "%(time)s happens twice in Swedish time: the clocks are put back that night. "
                "Choose a time outside the repeated hour.",
                time=local.strftime("%Y-%m-%d %H:%M"),
            ),
            field=field_name,
        )
    return early.astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """The naive Stockholm wall-clock time of a naive UTC moment (to fill the edit form)."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def _check(session: Session, data: EventInput, moments=None) -> tuple[datetime, datetime]:
    """``moments``: the UTC (start, end) when the caller converted the local times itself (a
    series' occurrence, see ``recurrence.occurrence_utc``)."""
    if data.kind not in KINDS:
        raise InvalidInput(_l("Choose a kind of event."), field="kind")
    if data.language not in LANGUAGES:
        raise InvalidInput(_l("Choose a language."), field="language")
    if not data.title.strip():
        raise InvalidInput(_l("Write a title."), field="title")
    if not data.summary.strip():
        raise InvalidInput(_l("Write a summary."), field="summary")
    if bool(data.title_translation.strip()) != bool(data.summary_translation.strip()):
        raise InvalidInput(
            _l("A translation needs both a title and a summary."), field="title_translation"
        )
    if moments is None:
        starts_at = to_utc(data.starts_local, field_name="start_time")
        ends_at = to_utc(data.ends_local, field_name="end_time")
    else:
        starts_at, ends_at = moments
    if ends_at <= starts_at:
        raise InvalidInput(_l("The event must end after it starts."), field="end_time")
    if data.online and not data.join_url.strip():
        raise InvalidInput(_l("Give the link to join the online event."), field="join_url")
    if not data.online and not data.address.strip():
        raise InvalidInput(_l("Give the address of the place."), field="address")
    if data.kind == STUDY_VISIT and data.project_id is None:
        raise InvalidInput(_l("A study visit names the project it visits."), field="project_id")
    if data.project_id is not None and session.get(Project, data.project_id) is None:
        raise InvalidInput(_l("Choose a project from the list."), field="project_id")
    if unknown_goal_ids(session, data.goal_ids):
        raise InvalidInput(_l("Choose goals from the list."), field="goal_ids")
    if data.capacity is not None and data.capacity < 1:
        raise InvalidInput(_l("Give at least one seat, or leave it empty."), field="capacity")
    if set(data.questions) - set(QUESTIONS):
        raise InvalidInput(_l("Choose questions from the list."), field="questions")
    known = set(session.exec(select(Theme.id).where(col(Theme.id).in_(data.theme_ids))).all())
    if set(data.theme_ids) - known:
        raise InvalidInput(_l("Choose themes from the list."), field="theme_ids")
    return starts_at, ends_at


def copy_shared_fields(target, data: EventInput) -> None:
    """What an event and a series have alike: kind, language, texts, place and project."""
    online = data.online
    target.kind, target.language = data.kind, data.language
    target.title, target.summary = data.title.strip(), data.summary
    translated = data.title_translation.strip()
    target.title_translation = translated or None
    target.summary_translation = data.summary_translation if translated else None
    target.online = online
    target.join_url = data.join_url.strip() if online else None
    target.address = None if online else data.address.strip()
    target.meeting_point = None if online else (data.meeting_point.strip() or None)
    target.accessibility = None if online else (data.accessibility.strip() or None)
    target.project_id = data.project_id
    target.updated_at = utcnow()


def replace_links(session: Session, owner, data: EventInput, theme_link, goal_link, column: str):
    """Set the themes and goals of ``owner`` (an event or a series) to those of ``data``."""
    session.add(owner)
    session.flush()
    pairs = ((theme_link, data.theme_ids, "theme_id"), (goal_link, data.goal_ids, "goal_id"))
    for link, ids, other in pairs:
        session.exec(delete(link).where(col(getattr(link, column)) == owner.id))
        session.add_all(link(**{column: owner.id, other: i}) for i in set(ids))
    session.flush()


def _apply(session: Session, event: Event, data: EventInput, starts_at, ends_at) -> None:
    copy_shared_fields(event, data)
    event.summary_html = render_markdown(data.summary, field="summary")
    event.summary_translation_html = (
        render_markdown(data.summary_translation, field="summary_translation")
        if event.title_translation
        else None
    )
    event.starts_at, event.ends_at = starts_at, ends_at
    event.capacity = data.capacity
    event.questions = ",".join(key for key in QUESTIONS if key in data.questions)
    replace_links(session, event, data, EventTheme, EventGoal, "event_id")


def _require_writer(actor) -> None:
    if not can_manage_events(actor):
        raise NotAllowed(_l("Only organisers, moderators and administrators can write events."))


def require_manager(session: Session, actor, item) -> None:
    """``actor`` may change this event or series (its organisers, moderators, admins)."""
    if not can_manage_event(actor, item, organisers.organiser_ids(session, item)):
        raise NotAllowed(
            _l("Only its organisers, moderators and administrators can change this event.")
        )


def create_event(
    *,
    session: Session,
    actor,
    data: EventInput,
    publish: bool = False,
    is_demo: bool = False,
    organiser_ids=(),
) -> Event:
    """The author becomes an organiser, with the co-organisers ``organiser_ids``."""
    _require_writer(actor)
    starts_at, ends_at = _check(session, data)
    event = Event(
        kind=data.kind,
        title="",
        summary="",
        summary_html="",
        starts_at=starts_at,
        ends_at=ends_at,
        state=PUBLISHED if publish else DRAFT,
        author_id=getattr(actor, "id", None),
        is_demo=is_demo,
    )
    _apply(session, event, data, starts_at, ends_at)
    author = [actor.id] if getattr(actor, "id", None) is not None else []
    organisers.set_organisers(session, event, [*author, *organiser_ids])
    sync_discussion(session=session, actor=actor, event=event)
    return event


def update_event(
    *,
    session: Session,
    actor,
    event: Event,
    data: EventInput,
    publish: bool = False,
    organiser_ids=None,
) -> Event:
    """Save ``data``; a published event keeps a revision of what changed, and an occurrence of a
    series becomes its own (``occurrence_changed``): the series no longer overwrites it.
    ``organiser_ids``: the organisers after the save (None: unchanged)."""
    _require_writer(actor)
    require_manager(session, actor, event)
    if event.is_cancelled:
        raise Conflict(_l("A cancelled event cannot be edited."))
    starts_at, ends_at = _check(session, data)
    before = [getattr(event, name) for name in SCHEDULING_FIELDS]
    was = history.snapshot(session, event)
    capacity_before = event.capacity
    _apply(session, event, data, starts_at, ends_at)
    if event.capacity != capacity_before and not event.is_draft:
        fill_seats(session=session, actor=actor, event=event)
    if organiser_ids is not None:
        organisers.set_organisers(session, event, organiser_ids)
    revision = (
        None if event.is_draft else history.record(session, actor=actor, before=was, item=event)
    )
    if revision is not None and event.series_id is not None:
        event.occurrence_changed = True
    rescheduled = before != [getattr(event, name) for name in SCHEDULING_FIELDS]
    rescheduled = rescheduled and not event.is_draft
    published = publish and event.is_draft
    if published:
        event.state = PUBLISHED
    if rescheduled or published:
        event.sequence += 1
    session.flush()
    sync_discussion(session=session, actor=actor, event=event)
    if rescheduled:
        event_rescheduled.send("agenda", session=session, actor=actor, event=event)
    return event


def cancel_event(*, session: Session, actor, event: Event) -> Event:
    _require_writer(actor)
    require_manager(session, actor, event)
    if event.state != PUBLISHED:
        raise Conflict(_l("Only a published event can be cancelled."))
    was = history.snapshot(session, event)
    event.state, event.cancelled_at, event.updated_at = CANCELLED, utcnow(), utcnow()
    event.sequence += 1
    session.add(event)
    session.flush()
    history.record(session, actor=actor, before=was, item=event)
    close_discussion(session=session, event=event)
    event_cancelled.send("agenda", session=session, actor=actor, event=event)
    return event
