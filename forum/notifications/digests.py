"""Daily and weekly digests: per member, the unsent notifications of the kinds they get daily (or
weekly) and may still see, grouped by theme, in their language; the weekly one also lists the
week's most useful lessons (the most "useful" marks given in the week).

A period ends at ``NOTIFICATIONS_DIGEST_HOUR`` o'clock, Stockholm time, every day (daily) or every
Monday (weekly); its key names the day (``daily-2026-11-30``, ``weekly-2026-11-30``). The job
``notifications.send_digests`` runs every quarter of an hour and sends the digests of a period
during the ``CATCH_UP`` hours after its end, so a worker that was down at the hour catches up.

**Idempotent per member and period**: each member's digest is one transaction holding the
``DigestSent`` row (unique per member and period), the outbox row and the notifications' mailed
marks. A run killed half-way has committed some members and nothing of the others; the next run
skips those with a row. Notifications created after the period's end wait for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..accounts.models import User
from ..accounts.urls import absolute_url
from ..clock import utcnow
from ..core.models import Theme
from ..db import get_engine
from ..i18n import in_language
from ..jobs import crontab, job
from ..lessons.models import Lesson, LessonReaction
from ..mail import send_after_commit, send_soon
from . import visibility
from .kinds import DAILY, GROUPS, KIND_APPROVAL, KIND_REPORT, WEEKLY
from .mailing import LOOKBACK_DAYS, claim, entries, notification_message, unsent
from .models import DigestSent, Notification
from .preferences import frequencies, kinds_at
from .queries import Entry, users_by_id

CATCH_UP = timedelta(hours=6)
BATCH = 500  # members read together: a handful of statements for each 500
USEFUL_LESSONS = 5


@dataclass(frozen=True)
class Period:
    frequency: str  # daily | weekly
    key: str
    start: datetime  # naive UTC, like every stored time
    end: datetime


def _utc(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def period_at(frequency: str, now: datetime, *, hour: int, zone: str) -> Period:
    """The latest period of ``frequency`` that has ended at ``now`` (naive UTC)."""
    tz = ZoneInfo(zone)
    local = now.replace(tzinfo=UTC).astimezone(tz)
    day = local.date() - timedelta(days=1 if local.hour < hour else 0)
    length = timedelta(days=1)
    if frequency == WEEKLY:
        day -= timedelta(days=day.weekday())  # the Monday on or before
        length = timedelta(days=7)
    return Period(frequency, f"{frequency}-{day.isoformat()}", _utc(day - length, hour, tz),
                  _utc(day, hour, tz))  # fmt: skip


@job("notifications.send_digests", retries=0, periodic=crontab(minute="*/15"))
def send_digests_job() -> None:
    send_digests()


def send_digests(*, now: datetime | None = None) -> int:
    """Send the digests of the periods that ended within ``CATCH_UP``; how many were queued."""
    now = now or utcnow()
    config = current_app.config
    sent = 0
    for frequency in (DAILY, WEEKLY):
        period = period_at(
            frequency,
            now,
            hour=int(config["NOTIFICATIONS_DIGEST_HOUR"]),
            zone=config["BABEL_DEFAULT_TIMEZONE"],
        )
        if now - period.end <= CATCH_UP:
            sent += send_digest(period)
    return sent


def send_digest(period: Period) -> int:
    """Queue the period's digest of every member who has one due and has not had it."""
    sent = 0
    with Session(get_engine(), expire_on_commit=False) as session:
        since = utcnow() - timedelta(days=LOOKBACK_DAYS)
        candidates = session.exec(
            select(Notification.user_id)
            .where(
                col(Notification.emailed_at).is_(None),
                col(Notification.read_at).is_(None),
                col(Notification.created_at) >= since,
                col(Notification.created_at) < period.end,
            )
            .distinct()
        ).all()
        extras = _Extras(
            themes={t.id: t for t in session.exec(select(Theme))},
            lessons=useful_lessons(session, period) if period.frequency == WEEKLY else [],
        )
        candidates = sorted(candidates)
        for start in range(0, len(candidates), BATCH):
            sent += _send_batch(session, period, candidates[start : start + BATCH], extras)
    if sent:
        send_soon()
    return sent


@dataclass
class _Extras:
    themes: dict[int, Theme]
    lessons: list[dict] = field(default_factory=list)


def _send_batch(session: Session, period: Period, user_ids, extras: _Extras) -> int:
    users = {
        u.id: u
        for u in session.exec(
            select(User).where(
                col(User.id).in_(user_ids),
                col(User.email).is_not(None),
                col(User.confirmed_at).is_not(None),
            )
        )
        if u.is_active
    }
    choices = frequencies(session, users)
    done = set(
        session.exec(
            select(DigestSent.user_id).where(
                DigestSent.period == period.key, col(DigestSent.user_id).in_(list(users))
            )
        ).all()
    )
    kinds = {uid: kinds_at(choices[uid], period.frequency) for uid in users if uid not in done}
    kinds = {uid: wanted for uid, wanted in kinds.items() if wanted}
    if not kinds:
        return 0
    notes = unsent(session, kinds, set().union(*kinds.values()), before=period.end)
    targets = visibility.check(session, notes, users=users)
    actors = users_by_id(session, [n.actor_id for n in notes])
    mine: dict[int, list[Notification]] = {}
    for n in notes:
        if n.kind in kinds[n.user_id] and n.id in targets.visible:
            mine.setdefault(n.user_id, []).append(n)
    sent = 0
    for user_id, notifications in mine.items():
        user = users[user_id]
        groups = {g for g, frequency in choices[user_id].items() if frequency == period.frequency}
        message = digest_message(user, period, notifications, targets, actors, extras, groups)
        session.add(
            DigestSent(user_id=user_id, period=period.key, notification_count=len(notifications))
        )
        try:
            session.flush()
            if not claim(session, notifications):  # mailed meanwhile (another run, at once)
                session.rollback()
                continue
            send_after_commit(session, message, nudge=False)
            session.commit()
        except IntegrityError:  # another run sent this member's digest first
            session.rollback()
            continue
        sent += 1
    return sent


@dataclass
class Section:
    name: str  # the theme's name in the reader's language; "" for moderators' work and others
    entries: list[Entry]


def digest_message(user, period, notifications, targets, actors, extras: _Extras, groups):
    by_theme: dict[int | None, list[Notification]] = {}
    for n in notifications:
        by_theme.setdefault(_theme_id(n, targets), []).append(n)
    order = sorted(
        by_theme, key=lambda t: (t is None, extras.themes[t].position if t in extras.themes else 0)
    )
    english = user.locale == "en"
    sections = [
        Section(
            name=(
                (extras.themes[t].name_en if english else extras.themes[t].name_sv)
                if t in extras.themes
                else ""
            ),
            entries=entries(by_theme[t], targets, actors),
        )
        for t in order
    ]
    count = len(notifications)
    with in_language(user.locale):
        if period.frequency == WEEKLY:
            subject = ngettext(
                "Your week at Tillsammans forum: %(num)d new notification",
                "Your week at Tillsammans forum: %(num)d new notifications",
                count,
            )
        else:
            subject = ngettext(
                "Your day at Tillsammans forum: %(num)d new notification",
                "Your day at Tillsammans forum: %(num)d new notifications",
                count,
            )
    return notification_message(
        user,
        subject=subject,
        template="digest",
        groups=groups or set(GROUPS),
        message_id=f"digest-{user.id}-{period.key}",
        sections=sections,
        lessons=extras.lessons,
        weekly=period.frequency == WEEKLY,
    )


def _theme_id(notification: Notification, targets: visibility.Targets) -> int | None:
    if notification.kind in (KIND_REPORT, KIND_APPROVAL):
        return None
    lesson = targets.lesson_of(notification)
    if lesson is not None:
        return lesson.theme_id
    thread = targets.thread_of(notification)
    return thread.theme_id if thread is not None else None


def useful_lessons(session: Session, period: Period) -> list[dict]:
    """The published, visible lessons marked useful most often in the period (one statement)."""
    marks = func.count(LessonReaction.id)
    rows = session.exec(
        select(Lesson, marks)
        .join(LessonReaction, col(LessonReaction.lesson_id) == Lesson.id)
        .where(
            col(LessonReaction.created_at) >= period.start,
            col(LessonReaction.created_at) < period.end,
            Lesson.status == "published",
            col(Lesson.hidden_at).is_(None),
        )
        .group_by(Lesson.id)
        .order_by(marks.desc(), col(Lesson.id))
        .limit(USEFUL_LESSONS)
    ).all()
    return [
        {
            "title": lesson.title,
            "marks": count,
            "url": absolute_url("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug),
        }
        for lesson, count in rows
    ]
