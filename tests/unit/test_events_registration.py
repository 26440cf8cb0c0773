"""Registration rules: seats in order, the waitlist and promotion, a larger capacity, coming back
after cancelling, who may register for which event, the domain event on every change, the
answers kept only to the questions asked and emptied after the retention time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from forum.agenda.models import REGISTERED, WAITLISTED, WITHDRAWN, EventRegistration
from forum.agenda.registration import (
    EventFull,
    cancel_registration,
    new_calendar_token,
    purge_answers,
    purge_answers_job,
    register,
)
from forum.agenda.service import cancel_event, to_local, update_event
from forum.clock import utcnow
from forum.domain import Conflict, InvalidInput, NotAllowed, NotFound
from forum.events import event_registration_changed
from tests.events_helpers import event_input
from tests.factories import make_user
from tests.registration_helpers import states, upcoming_event

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def changes():
    """What ``event_registration_changed`` said: (actor id, user id, before, after)."""
    seen = []

    def receiver(_sender, *, session, actor, event, registration, before):
        seen.append((actor.id, registration.user_id, before, registration.state))

    event_registration_changed.connect(receiver)
    yield seen
    event_registration_changed.disconnect(receiver)


def join(session, user, event, *, waitlist_ok=True, answers=None):
    registration = register(
        session=session, actor=user, event=event, answers=answers or {}, waitlist_ok=waitlist_ok
    )
    session.commit()
    return registration


def leave(session, user, event):
    registration = cancel_registration(session=session, actor=user, event=event)
    session.commit()
    return registration


def members(session, count):
    return [make_user(session) for _ in range(count)]


def test_seats_go_in_order_then_the_waitlist_and_a_cancellation_promotes_the_first(
    db_session, mod, changes
):
    event = upcoming_event(db_session, mod, capacity=2)
    a, b, c, d = members(db_session, 4)
    assert [join(db_session, u, event).state for u in (a, b, c, d)] == [
        REGISTERED,
        REGISTERED,
        WAITLISTED,
        WAITLISTED,
    ]
    leave(db_session, a, event)
    assert states(db_session, event) == {
        a.id: WITHDRAWN,
        b.id: REGISTERED,
        c.id: REGISTERED,
        d.id: WAITLISTED,
    }
    # the promotion is told with the canceller as the actor
    assert changes[-2:] == [
        (a.id, a.id, REGISTERED, WITHDRAWN),
        (a.id, c.id, WAITLISTED, REGISTERED),
    ]
    assert changes[:4] == [
        (a.id, a.id, None, REGISTERED),
        (b.id, b.id, None, REGISTERED),
        (c.id, c.id, None, WAITLISTED),
        (d.id, d.id, None, WAITLISTED),
    ]


def test_leaving_the_waitlist_promotes_nobody(db_session, mod):
    event = upcoming_event(db_session, mod, capacity=1)
    a, b, c = members(db_session, 3)
    for user in (a, b, c):
        join(db_session, user, event)
    leave(db_session, b, event)
    assert states(db_session, event) == {a.id: REGISTERED, b.id: WITHDRAWN, c.id: WAITLISTED}


def test_a_full_event_refuses_a_seat_unless_the_waitlist_is_accepted(db_session, mod, changes):
    event = upcoming_event(db_session, mod, capacity=1)
    a, b = members(db_session, 2)
    join(db_session, a, event, waitlist_ok=False)
    with pytest.raises(EventFull) as refused:
        join(db_session, b, event, waitlist_ok=False)
    db_session.rollback()
    assert refused.value.status == 409
    assert "väntelistan" in str(refused.value.message)
    assert states(db_session, event) == {a.id: REGISTERED}
    assert len(changes) == 1


def test_a_larger_capacity_promotes_as_many_as_fit_and_a_smaller_removes_nobody(
    db_session, mod, changes
):
    event = upcoming_event(db_session, mod, capacity=1)
    users = members(db_session, 5)
    for user in users:
        join(db_session, user, event)
    start = to_local(event.starts_at)
    times = {"starts_local": start, "ends_local": start + timedelta(hours=1)}
    update_event(session=db_session, actor=mod, event=event, data=event_input(capacity=3, **times))
    db_session.commit()
    after = states(db_session, event)
    assert [after[u.id] for u in users] == [REGISTERED] * 3 + [WAITLISTED] * 2
    assert changes[-2:] == [
        (mod.id, users[1].id, WAITLISTED, REGISTERED),
        (mod.id, users[2].id, WAITLISTED, REGISTERED),
    ]
    update_event(session=db_session, actor=mod, event=event, data=event_input(capacity=1, **times))
    db_session.commit()
    assert states(db_session, event) == after
    update_event(
        session=db_session, actor=mod, event=event, data=event_input(capacity=None, **times)
    )
    db_session.commit()
    assert set(states(db_session, event).values()) == {REGISTERED}


def test_coming_back_after_cancelling_puts_you_at_the_back(db_session, mod):
    event = upcoming_event(db_session, mod, capacity=1)
    a, b, c = members(db_session, 3)
    for user in (a, b, c):
        join(db_session, user, event)
    leave(db_session, b, event)
    assert join(db_session, b, event).state == WAITLISTED
    leave(db_session, a, event)  # the seat goes to c, who waited longer than b's new place
    assert states(db_session, event) == {a.id: WITHDRAWN, b.id: WAITLISTED, c.id: REGISTERED}


def test_asking_twice_changes_nothing(db_session, mod, changes):
    event = upcoming_event(db_session, mod, capacity=5)
    a = make_user(db_session)
    first = join(db_session, a, event)
    again = join(db_session, a, event)
    assert first.id == again.id and again.state == REGISTERED
    assert len(changes) == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [("unconfirmed", NotAllowed), ("suspended", NotAllowed)],
)
def test_only_confirmed_members_who_are_not_suspended_register(db_session, mod, who, error):
    event = upcoming_event(db_session, mod)
    if who == "unconfirmed":
        user = make_user(db_session, confirmed=False)
    else:
        user = make_user(db_session, suspended_until=utcnow() + timedelta(days=3))
    with pytest.raises(error):
        join(db_session, user, event)


def test_drafts_cancelled_and_started_events_take_no_registrations(db_session, mod):
    user = make_user(db_session)
    draft = upcoming_event(db_session, mod, publish=False)
    with pytest.raises(NotFound):
        join(db_session, user, draft)
    cancelled = upcoming_event(db_session, mod)
    cancel_event(session=db_session, actor=mod, event=cancelled)
    db_session.commit()
    with pytest.raises(Conflict, match="inställt"):
        join(db_session, user, cancelled)
    started = upcoming_event(db_session, mod, days=-1 / 48)  # began half an hour ago
    with pytest.raises(Conflict, match="börjat"):
        join(db_session, user, started)
    with pytest.raises(Conflict, match="börjat"):
        leave(db_session, user, started)


def test_cancelling_without_a_registration_is_refused(db_session, mod):
    event = upcoming_event(db_session, mod)
    with pytest.raises(Conflict, match="inte anmäld"):
        leave(db_session, make_user(db_session), event)


def test_only_the_questions_asked_are_kept_and_long_answers_are_refused(db_session, mod):
    event = upcoming_event(db_session, mod, questions=["dietary_needs", "organisation"])
    a, b = members(db_session, 2)
    answers = {"dietary_needs": " vegan ", "access_needs": "not asked", "organisation": ""}
    registration = join(db_session, a, event, answers=answers)
    assert json.loads(registration.answers) == {"dietary_needs": "vegan"}
    with pytest.raises(InvalidInput) as refused:
        join(db_session, b, event, answers={"organisation": "x" * 301})
    assert refused.value.field == "organisation"


def test_answers_are_emptied_after_the_retention_time(app, db_session, mod):
    ended = upcoming_event(db_session, mod, days=-40, questions=["organisation"])
    recent = upcoming_event(db_session, mod, days=-10, questions=["organisation"])
    user = make_user(db_session)
    for event in (ended, recent):
        db_session.add(
            EventRegistration(event_id=event.id, user_id=user.id, answers='{"organisation": "X"}')
        )
    db_session.commit()
    purge_answers_job()  # the retention time of the config: 30 days
    db_session.expire_all()
    rows = {r.event_id: r.answers for r in db_session.exec(select(EventRegistration))}
    assert rows == {ended.id: None, recent.id: '{"organisation": "X"}'}
    assert purge_answers(db_session, days=5) == 1
    db_session.commit()
    assert purge_answers(db_session, days=5) == 0


def test_a_new_calendar_secret_replaces_the_old(db_session):
    user = make_user(db_session)
    first = new_calendar_token(session=db_session, actor=user)
    second = new_calendar_token(session=db_session, actor=user)
    db_session.commit()
    assert first != second and len(second) >= 40


def test_a_deleted_account_gives_its_seat_to_the_waitlist_and_exports_its_answers(
    db_session, mod, changes
):
    from forum.accounts.privacy import delete_account, export_data
    from tests.factories import DEFAULT_PASSWORD

    event = upcoming_event(db_session, mod, capacity=1, questions=["dietary_needs"])
    leaving, waiting = members(db_session, 2)
    join(db_session, leaving, event, answers={"dietary_needs": "vegan"})
    join(db_session, waiting, event)
    new_calendar_token(session=db_session, actor=leaving)
    exported = export_data(session=db_session, actor=leaving)
    assert exported["event_registrations"][0]["answers"] == {"dietary_needs": "vegan"}
    assert exported["event_registrations"][0]["state"] == REGISTERED
    assert exported["event_calendar_address"] is True
    delete_account(session=db_session, actor=leaving, password=DEFAULT_PASSWORD)
    db_session.commit()
    assert states(db_session, event) == {waiting.id: REGISTERED}
    assert changes[-1] == (leaving.id, waiting.id, WAITLISTED, REGISTERED)
    assert export_data(session=db_session, actor=leaving)["event_registrations"] == []
