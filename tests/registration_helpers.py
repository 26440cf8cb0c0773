"""Events that members can register for: a week ahead, with seats and questions."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from forum.agenda.models import EventRegistration
from forum.agenda.service import to_local
from forum.clock import utcnow
from tests.events_helpers import make_event


def upcoming_event(session, actor, *, days: float = 7, capacity=None, questions=(), **overrides):
    """A published webinar ``days`` from now (an hour long)."""
    start = to_local(utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    return make_event(
        session,
        actor,
        starts_local=start,
        ends_local=start + timedelta(hours=1),
        capacity=capacity,
        questions=list(questions),
        **overrides,
    )


def states(session, event) -> dict[int, str]:
    """user id -> registration state of ``event``, read afresh."""
    session.expire_all()
    rows = session.exec(
        select(EventRegistration).where(col(EventRegistration.event_id) == event.id)
    ).all()
    return {row.user_id: row.state for row in rows}
