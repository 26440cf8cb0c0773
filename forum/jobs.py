"""Work outside the request: a huey queue per application, run by ``flask forum worker``.

* Areas declare jobs when their package is imported: ``@job("search.apply_outbox", retries=6)``
  for work that a request enqueues, ``@job("search.sweep_outbox", periodic=crontab())`` for work the
  worker schedules itself (huey checks periodic jobs once a minute). A job runs in an application
  context of the app that enqueued it (the worker builds its own app from the same ``FORUM_*``
  settings).
* ``enqueue(name, *args, jobs=None)``: arguments are pickled into the queue, so they carry ids or
  bytes, never database objects or secrets.
* Storage: with ``JOBS_WORKER`` on, ``SqliteHuey`` in ``JOBS_SQLITE_PATH`` (``instance/jobs.db``),
  or ``RedisHuey`` when ``REDIS_URL`` is set (several machines share one queue). With it off (the
  tests, ``make dev``) huey runs in immediate mode: a job runs at once in the process that
  enqueues it, as the forum worked before it had a worker.
* Retries: a job that raises is retried ``retries`` times, the delay doubling from
  ``retry_delay``; ``RetryLater`` asks for that without a stack trace in the log. A job that
  still fails is parked: kept in the queue's key-value store with its error, listed to admins on
  ``/admin/jobs`` (run again or dismissed there), and logged at ERROR ("job ... parked"). What it
  was for is not lost either where an outbox holds it (search's periodic sweep applies it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from .clock import utcnow
from .optional_imports import without_modules

# huey's storage module imports redis and psycopg whenever they are installed (some 14 MiB in
# every process); the forum needs redis only for a queue in Redis and never huey's PostgreSQL
# storage, so they are kept out here and redis is brought in by ``redis_huey`` when configured.
with without_modules("redis", "psycopg"):
    import huey.storage as huey_storage
    from huey import RedisHuey, SqliteHuey, crontab
    from huey import signals as huey_signals
    from huey.api import Huey, PeriodicTask
    from huey.exceptions import CancelExecution

log = logging.getLogger("forum.jobs")
PARKED = "parked:"  # key prefix of parked jobs in the queue's key-value store
HEARTBEAT = "worker-heartbeat"  # when a worker last said it was alive (epoch seconds)
AFTER_COMMIT = "forum_jobs_after_commit"  # in session.info: {job name: Jobs} to nudge


class RetryLater(Exception):
    """A job could not finish now (a busy index, an unreachable SMTP server): retry it later."""


@dataclass(frozen=True)
class JobDefinition:
    func: Callable
    retries: int
    retry_delay: float
    periodic: Callable | None  # a huey crontab(...)


_DEFINITIONS: dict[str, JobDefinition] = {}


def job(name: str, *, retries: int = 5, retry_delay: float = 2.0, periodic=None):
    """Declare ``func`` as the job ``name``; ``periodic``: a ``crontab(...)`` the worker follows."""

    def decorate(func: Callable) -> Callable:
        if name in _DEFINITIONS and _DEFINITIONS[name].func is not func:
            raise ValueError(f"job {name!r} is declared twice")
        _DEFINITIONS[name] = JobDefinition(func, retries, retry_delay, periodic)
        return func

    return decorate


def redis_huey(name: str, **options) -> RedisHuey:
    """A huey queue in Redis, with the redis client given to huey's storage first."""
    if huey_storage.Redis is None:
        from redis import ConnectionPool, Redis
        from redis.exceptions import ConnectionError, TimeoutError

        huey_storage.ConnectionPool, huey_storage.Redis = ConnectionPool, Redis
        huey_storage.ConnectionError, huey_storage.TimeoutError = ConnectionError, TimeoutError
        huey_storage.RedisStorage.redis_client = Redis  # bound when the class was made
    return RedisHuey(name, **options)


def make_huey(config) -> Huey:
    """The queue these settings describe (immediate mode without a worker)."""
    if not config.get("JOBS_WORKER"):
        return Huey("forum", results=False, immediate=True)
    if config.get("REDIS_URL"):
        return redis_huey("forum", results=False, url=config["REDIS_URL"])
    path = Path(config["JOBS_SQLITE_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("forum", results=False, filename=str(path))


class Jobs:
    """One application's queue and the huey tasks of the declared jobs."""

    def __init__(self, app: Flask, huey: Huey):
        self.app = app
        self.huey = huey
        self.tasks: dict[str, Callable] = {}
        self._names: dict[str, str] = {}  # huey's task name -> the job's name
        self._last_error = threading.local()  # a RetryLater's reason, for the signal that follows
        huey.signal(huey_signals.SIGNAL_ERROR, huey_signals.SIGNAL_CANCELED)(self._on_error)

    @property
    def immediate(self) -> bool:
        return self.huey.immediate

    def install(self) -> None:
        """Make huey tasks of the jobs declared so far (the worker needs every one registered
        before it reads the queue)."""
        for name, definition in _DEFINITIONS.items():
            if name in self.tasks:
                continue
            options = dict(
                name=name,
                # in immediate mode a retry would wait in memory for a consumer that never comes
                retries=0 if self.immediate else definition.retries,
                retry_delay=definition.retry_delay,
                retry_backoff=2,
            )
            run = self._in_app_context(definition.func)
            if definition.periodic is not None:
                self.tasks[name] = self.huey.periodic_task(definition.periodic, **options)(run)
            else:
                self.tasks[name] = self.huey.task(**options)(run)
            self._names[self.tasks[name].name] = name

    def _in_app_context(self, func: Callable) -> Callable:
        app, immediate, last_error = self.app, self.immediate, self._last_error

        def run(*args):
            with app.app_context():
                try:
                    return func(*args)
                except RetryLater as exc:
                    if immediate:  # the enqueuing process has its own retries (or none)
                        log.info("%s: %s", func.__name__, exc)
                        return None
                    log.warning("%s: %s", func.__name__, exc)
                    last_error.reason = str(exc)
                    # huey retries a cancelled task while it has retries left, without logging
                    # a stack trace as it does for other exceptions
                    raise CancelExecution(str(exc)) from exc

        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        return run

    def enqueue(self, name: str, *args) -> None:
        if name not in self.tasks:
            self.install()
        self.tasks[name](*args)

    def _on_error(self, _signal, task, exc=None) -> None:
        if task.retries > 0 or self.immediate:
            return
        reason = str(exc) if exc is not None else getattr(self._last_error, "reason", "")
        name = self._names.get(task.name, task.name)
        if isinstance(task, PeriodicTask):  # it runs again at its next time
            log.error("periodic job %s failed: %s", name, reason)
            return
        log.error("job %s (%s) parked after its retries: %s", name, task.id, reason)
        record = {"id": task.id, "name": name, "args": task.args, "error": reason[:500]}
        self.huey.put(PARKED + task.id, {**record, "failed_at": utcnow()})

    # -- parked jobs ------------------------------------------------------------------------------
    def parked(self) -> list[dict]:
        """Parked jobs, newest first: ``id``, ``name``, ``error``, ``failed_at`` (and ``args``,
        which may hold personal data: not for display)."""
        found = [
            self.huey.serializer.deserialize(value)
            for key, value in self.huey.storage.result_items().items()
            if key.startswith(PARKED)
        ]
        return sorted(found, key=lambda record: record["failed_at"], reverse=True)

    def retry_parked(self, job_id: str) -> bool:
        """Enqueue a parked job again (with its retries); False if there is no such job, or no
        longer a job of that name (it is dropped: nothing could run it)."""
        record = self.huey.get(PARKED + job_id)  # reads and removes it
        if record is None or record["name"] not in _DEFINITIONS:
            return False
        self.enqueue(record["name"], *record["args"])
        return True

    def dismiss_parked(self, job_id: str) -> bool:
        return self.huey.get(PARKED + job_id) is not None

    # -- health -----------------------------------------------------------------------------------
    def beat(self) -> None:
        self.huey.put(HEARTBEAT, time.time())

    def start_heartbeat(self, interval: float) -> threading.Thread:
        """Beat every ``interval`` seconds from a daemon thread, for as long as the worker lives.
        A beat that fails (the queue's storage briefly unreachable) is logged and tried again."""

        def loop() -> None:
            while True:
                try:
                    self.beat()
                except Exception as exc:
                    log.warning("worker heartbeat not recorded: %s", exc)
                time.sleep(interval)

        thread = threading.Thread(target=loop, name="jobs-heartbeat", daemon=True)
        thread.start()
        return thread

    def health(self, *, max_silence: float) -> tuple[str, dict]:
        """The worker's verdict for GET /healthz ("ok" or "error: ...") and its figures: the age
        of the last heartbeat, jobs waiting in the queue, scheduled (retries, delayed) and parked.
        Without a worker (immediate mode) there is nothing to wait for."""
        if self.immediate:
            return "ok", {"worker_heartbeat_age_seconds": None, "jobs_queued": 0}
        try:
            last = self.huey.get(HEARTBEAT, peek=True)
            age = None if last is None else round(time.time() - last, 1)
            figures = {
                "worker_heartbeat_age_seconds": age,
                "jobs_queued": self.huey.pending_count(),
                "jobs_scheduled": self.huey.scheduled_count(),
                "jobs_parked": len(self.parked()),
            }
        except Exception as exc:  # the queue's storage: reported, never raised
            log.warning("health check: job queue unavailable: %s", exc)
            return f"error: the job queue cannot be read ({exc.__class__.__name__})", {}
        if age is None:
            return "error: no job worker has started (run `flask forum worker`)", figures
        if age > max_silence:
            return f"error: the job worker has been silent for {age:.0f} s", figures
        return "ok", figures

    def consumer(self, *, workers: int):
        if self.immediate:
            raise RuntimeError("the job worker is off (FORUM_JOBS_WORKER=false): nothing to run")
        self.install()
        # an idle worker polls the queue at most every half second (huey's default, 10 s, would
        # keep a reply out of search that long); Redis storage blocks on the queue instead
        return self.huey.create_consumer(
            workers=workers, worker_type="thread", periodic=True, max_delay=0.5
        )


def init_app(app: Flask) -> Jobs:
    jobs = Jobs(app, make_huey(app.config))
    app.extensions["jobs"] = jobs
    return jobs


def get_jobs(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions["jobs"]


def enqueue(name: str, *args, jobs: Jobs | None = None) -> None:
    """Run the job ``name`` in the worker (or now, in immediate mode)."""
    (jobs or get_jobs()).enqueue(name, *args)


def nudge(name: str, *args, jobs: Jobs | None = None) -> None:
    """Enqueue a job whose work is recorded durably elsewhere (an outbox row committed with the
    change), after that commit. The change is done and a periodic job will find the work, so a
    queue that cannot be reached, or a job failing in immediate mode, is logged: raising would
    answer 500 for a write that succeeded, and the writer would send it again."""
    try:
        enqueue(name, *args, jobs=jobs)
    except Exception:
        log.exception("job %s not enqueued; its periodic sweep will do the work", name)


def nudge_after_commit(session, name: str) -> None:
    """``nudge`` the job ``name`` once ``session`` commits (its outbox rows with it); nothing if
    it rolls back."""
    session.info.setdefault(AFTER_COMMIT, {})[name] = get_jobs()


@event.listens_for(OrmSession, "after_commit")
def _nudge_after_commit(session: OrmSession) -> None:
    for name, jobs in session.info.pop(AFTER_COMMIT, {}).items():
        nudge(name, jobs=jobs)  # the rows are committed: if the queue fails, a sweep does it


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(AFTER_COMMIT, None)


__all__ = [
    "RetryLater",
    "crontab",
    "enqueue",
    "get_jobs",
    "init_app",
    "job",
    "Jobs",
    "nudge",
    "nudge_after_commit",
    "redis_huey",
]
