"""The job queue (forum/jobs.py): the storage the settings choose, retries with backoff, parking."""

from __future__ import annotations

import datetime
import logging

import pytest
from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey

from forum import jobs as forum_jobs
from forum.jobs import Jobs, RetryLater, make_huey, redis_huey


def test_the_settings_choose_the_storage(tmp_path):
    immediate = make_huey({"JOBS_WORKER": False})
    assert immediate.immediate
    sqlite = make_huey({"JOBS_WORKER": True, "JOBS_SQLITE_PATH": str(tmp_path / "q" / "jobs.db")})
    assert isinstance(sqlite, SqliteHuey) and not sqlite.immediate
    assert (tmp_path / "q").is_dir()
    # no connection is made until the queue is used
    redis = make_huey(
        {"JOBS_WORKER": True, "REDIS_URL": "redis://127.0.0.1:1/0", "JOBS_SQLITE_PATH": "x"}
    )
    assert isinstance(redis, RedisHuey)


def test_the_forum_declares_its_jobs(app):
    names = set(app.extensions["jobs"].tasks)
    assert {"search.apply_outbox", "search.sweep_outbox", "search.check_index"} <= names
    assert {"mail.send_outbox", "mail.sweep_outbox"} <= names


@pytest.fixture(params=["memory", "redis"])
def huey(request):
    """A queue in memory, and one in a real Redis (parked jobs live in its results hash)."""
    if request.param == "memory":
        return MemoryHuey("test")
    server = request.getfixturevalue("redis_server")
    return redis_huey("test", url=server.url, blocking=False)


def test_a_failing_job_is_retried_with_backoff_then_parked(monkeypatch, caplog, huey):
    calls = []

    def flaky() -> None:
        calls.append(1)
        raise RetryLater("the server is down")

    monkeypatch.setattr(forum_jobs, "_DEFINITIONS", {})
    forum_jobs.job("test.flaky", retries=2, retry_delay=1.0)(flaky)
    queue = Jobs(Flask("jobs-test"), huey)
    queue.enqueue("test.flaky")
    far = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(hours=1)
    huey.execute(huey.dequeue(), far)
    delays = []
    for _ in range(2):
        [task] = huey.scheduled()
        delays.append(task.retry_delay)
        [due] = huey.read_schedule(far)
        huey.execute(due, far)
    assert len(calls) == 3 and delays == [2.0, 4.0]  # the next delay doubles each time
    assert huey.scheduled() == [] and len(huey) == 0
    assert "job test.flaky" in caplog.text and "parked after its retries" in caplog.text
    [parked] = queue.parked()
    assert parked["name"] == "test.flaky" and parked["error"] == "the server is down"
    assert queue.retry_parked(parked["id"]) and len(huey) == 1 and queue.parked() == []
    assert not queue.retry_parked(parked["id"])
    huey.execute(huey.dequeue(), far)
    while huey.scheduled():  # its retries, at once
        [due] = huey.read_schedule(far)
        huey.execute(due, far)
    [parked] = queue.parked()
    assert len(calls) == 6 and queue.dismiss_parked(parked["id"]) and queue.parked() == []


def test_immediate_mode_runs_the_job_at_once_without_retries(monkeypatch, caplog):
    calls = []
    monkeypatch.setattr(forum_jobs, "_DEFINITIONS", {})

    def busy() -> None:
        calls.append(1)
        raise RetryLater("busy")

    forum_jobs.job("test.once", retries=5)(busy)
    queue = Jobs(Flask("jobs-test"), make_huey({"JOBS_WORKER": False}))
    with caplog.at_level(logging.INFO, logger="forum.jobs"):
        queue.enqueue("test.once")
    assert calls == [1] and queue.huey.scheduled() == [] and "busy" in caplog.text
    assert "parked" not in caplog.text


def test_the_worker_refuses_to_start_in_immediate_mode():
    with pytest.raises(RuntimeError, match="FORUM_JOBS_WORKER"):
        Jobs(Flask("jobs-test"), make_huey({"JOBS_WORKER": False})).consumer(workers=1)
