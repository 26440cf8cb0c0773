"""Sixteen members press "Register" at the same moment for ten seats, against the forum as
`make run` starts it (gunicorn with two worker processes, ``tests/processes.py``): exactly ten get
a seat and six a waitlist place, on SQLite and on PostgreSQL (``make test-pg``), and nobody gets
an error. The event row lock in ``forum/agenda/registration.py`` is what makes this hold."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from forum.agenda.registration_queries import seats
from tests.factories import make_user
from tests.load import TIMEOUT, Ledger, Member
from tests.processes import Forum
from tests.registration_helpers import upcoming_event

MEMBERS, SEATS = 16, 10


def test_sixteen_members_at_once_get_ten_seats_and_six_waitlist_places(
    app, live_settings, db_session, tmp_path
):
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        event = upcoming_event(db_session, mod, capacity=SEATS)
    users = [make_user(db_session) for _ in range(MEMBERS)]
    with Forum(live_settings, tmp_path, FORUM_RATELIMIT_ENABLED="false") as forum:
        members = [Member(forum.url, u.email, Ledger(), seed=n) for n, u in enumerate(users)]
        for member in members:
            member.login()
        start = threading.Barrier(MEMBERS)

        def register(member: Member) -> int:
            start.wait(timeout=TIMEOUT)
            answer = member.http.post(
                f"{forum.url}/events/{event.id}/register",
                data={"waitlist": "1"},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
            return answer.status_code

        with ThreadPoolExecutor(MEMBERS) as pool:
            statuses = list(pool.map(register, members))
        log = forum.web_log.read_text()
    assert statuses == [303] * MEMBERS, log[-5000:]
    assert "Traceback" not in log, log[-5000:]
    db_session.expire_all()
    taken = seats(db_session, event, None)
    assert (taken.registered, taken.waiting) == (SEATS, MEMBERS - SEATS)
