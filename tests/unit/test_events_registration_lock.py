"""The event row lock, step by step: while one transaction holds the last seat without having
committed, a second registration waits for it and then finds the event full (SQLite and
PostgreSQL). Without the lock the second would count the seat as free and overfill the event."""

from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import Session

from forum.agenda.models import REGISTERED, WAITLISTED
from forum.agenda.registration import register
from tests.factories import make_user
from tests.registration_helpers import states, upcoming_event

pytestmark = pytest.mark.usefixtures("ctx")
WAIT = 60.0  # seconds: an upper bound on a loaded machine


def test_a_second_registration_waits_for_the_first_and_finds_the_event_full(app, db_session, mod):
    event = upcoming_event(db_session, mod, capacity=1)
    first, second = make_user(db_session), make_user(db_session)
    engine = app.extensions["forum_engine"]
    holding = Session(engine, expire_on_commit=False)
    outcome: dict = {}

    def second_registration() -> None:
        with app.test_request_context("/"), Session(engine, expire_on_commit=False) as other:
            mine = register(
                session=other, actor=second, event=other.get(type(event), event.id),
                answers={}, waitlist_ok=True,
            )  # fmt: skip
            outcome["state"] = mine.state
            other.commit()

    try:
        held = register(
            session=holding, actor=first, event=holding.get(type(event), event.id),
            answers={}, waitlist_ok=True,
        )  # fmt: skip
        assert held.state == REGISTERED
        thread = threading.Thread(target=second_registration, daemon=True)
        thread.start()
        time.sleep(1.0)  # let the second request reach the lock (if it has none, it overfills)
        holding.commit()
    finally:
        holding.close()
    thread.join(timeout=WAIT)
    assert not thread.is_alive()
    assert outcome == {"state": WAITLISTED}
    assert states(db_session, event) == {first.id: REGISTERED, second.id: WAITLISTED}
