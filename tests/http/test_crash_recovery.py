"""Processes killed with SIGKILL while 16 members write (``tests/processes.py``, ``tests/load.py``):
one gunicorn web worker (its master starts another), the job worker (started again, as a
supervisor would), and everything at once (then all started again).

Afterwards nothing the forum acknowledged is lost, and once the job worker has drained the outbox
the index agrees with the database (``check-index``: nothing missing, stale or extra), with no
reindex: only the worker's own jobs (the outbox applied after each commit, the sweep at its
start and every minute). A write whose request was killed may or may not have committed; only
acknowledged writes must be there.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest

from forum.search import get_search_service
from forum.search.consistency import compare_index
from tests.load import Ledger, crowd, start_members, stop_members
from tests.processes import Forum, wait_for

MEMBERS = 16
PHASE = 3.0  # seconds of writing before, between and after the kills
NO_RATE_LIMITS = {"FORUM_RATELIMIT_ENABLED": "false"}


@contextmanager
def writing(members):
    stop = threading.Event()
    threads = start_members(members, stop)
    try:
        yield
    finally:
        stop_members(threads, stop)


def kill_a_web_worker(forum: Forum) -> None:
    forum.kill_web_worker()
    time.sleep(PHASE)
    forum.kill_web_worker()


def kill_the_job_worker(forum: Forum) -> None:
    for _ in range(2):
        forum.kill_worker()
        time.sleep(PHASE)  # writes go on; their jobs wait in the queue
        forum.start_worker()


def kill_everything(forum: Forum) -> None:
    forum.kill_all()
    forum.start_worker()
    forum.start_web()


@pytest.mark.parametrize(
    "crash", [kill_a_web_worker, kill_the_job_worker, kill_everything], ids=lambda f: f.__name__
)
def test_nothing_acknowledged_is_lost_and_the_index_recovers_by_itself(
    crash, app, live_settings, db_session, tmp_path
):
    ledger = Ledger()
    forum = Forum(live_settings, tmp_path, **NO_RATE_LIMITS)
    members = crowd(db_session, forum.url, ledger, MEMBERS)
    service = get_search_service(app)
    with forum:
        with writing(members):
            time.sleep(PHASE)
            crash(forum)
            time.sleep(PHASE)
        drained = wait_for(
            lambda: service.pending_count() == 0, forum.worker_log, "the outbox drained"
        )
    db_session.expire_all()
    report = compare_index(db_session, service.store)  # check-index, nothing applied first
    print(
        f"\n{crash.__name__}: {ledger.acknowledged} acknowledged writes, {ledger.unanswered} "
        f"without an answer; outbox drained {drained:.1f} s after the last write; "
        f"{len(report.missing)} missing, {len(report.stale)} stale, {len(report.extra)} extra"
    )
    assert ledger.failures == []
    assert ledger.lost_or_stale(db_session) == []
    assert (report.missing, report.stale, report.extra) == ([], [], [])
