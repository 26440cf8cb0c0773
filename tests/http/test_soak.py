"""The forum as `make run` starts it, under load: gunicorn with two workers and the job worker
(the ``Procfile``'s commands) on the test's database, index and queue, and 16 members, each in a
thread of its own with its own session, replying, starting threads, editing their posts and
searching for ``SOAK_SECONDS`` (20; ``make soak``: 120).

Rate limits are off (``FORUM_RATELIMIT_ENABLED=false``): 16 members posting non-stop from one
address would otherwise be turned away by the posting and login limits, which have tests of
their own. Then: no answer was a 5xx (or any other error), every acknowledged post is in the
database with its last acknowledged text, and once the worker has drained the outbox the index
agrees with the database (``check-index``: nothing missing, stale or extra).
"""

from __future__ import annotations

import os
import threading
import time

from forum.search import get_search_service
from forum.search.consistency import compare_index
from tests.load import Ledger, crowd, start_members, stop_members
from tests.processes import Forum, wait_for

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "20"))
MEMBERS = 16
NO_RATE_LIMITS = {"FORUM_RATELIMIT_ENABLED": "false"}


def test_sixteen_members_write_and_search_without_an_error_or_a_lost_write(
    app, live_settings, db_session, tmp_path
):
    ledger = Ledger()
    forum = Forum(live_settings, tmp_path, **NO_RATE_LIMITS)
    members = crowd(db_session, forum.url, ledger, MEMBERS)
    service = get_search_service(app)
    with forum:
        stop = threading.Event()
        started = time.monotonic()
        threads = start_members(members, stop)
        stop.wait(SOAK_SECONDS)
        stop_members(threads, stop)
        seconds = time.monotonic() - started
        drained = wait_for(
            lambda: service.pending_count() == 0, forum.worker_log, "the outbox drained"
        )
    print(
        f"\nsoak: {seconds:.0f} s, {ledger.acknowledged} acknowledged writes "
        f"({ledger.acknowledged / seconds:.1f}/s), {ledger.searches} searches, "
        f"outbox drained {drained:.1f} s after the last write"
    )
    assert ledger.failures == []
    assert ledger.unanswered == 0
    assert ledger.acknowledged > MEMBERS
    db_session.expire_all()
    assert ledger.lost_or_stale(db_session) == []
    report = compare_index(db_session, service.store)  # check-index, nothing applied first
    assert (report.missing, report.stale, report.extra) == ([], [], [])
    for log in (forum.web_log, forum.worker_log):
        assert "Traceback" not in log.read_text(), log.read_text()[-5000:]
