"""Work outside the request: a huey queue per application, run by ``flask forum worker``.

* Areas declare jobs when their package is imported: ``@job("search.apply_outbox", retries=6)``
  for work that a request enqueues, ``@job("search.sweep", periodic=crontab())`` for work the
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
  still fails is parked: huey drops it and the log says so at ERROR ("job ... parked"). What it
  was for is not lost where an outbox holds it (search's periodic sweep applies it later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey import signals as huey_signals
from huey.api import Huey, PeriodicTask
from huey.exceptions import CancelExecution

log = logging.getLogger("forum.jobs")


class RetryLater(Exception):
    """A job could not finish now (a busy index, an unreachable SMTP server): retry it later."""


@dataclass(frozen=True)
class JobDefinition:
    func: Callable
    retries: int
    retry_delay: float
    periodic: crontab | None


_DEFINITIONS: dict[str, JobDefinition] = {}


def job(name: str, *, retries: int = 5, retry_delay: float = 2.0, periodic=None):
    """Declare ``func`` as the job ``name``; ``periodic``: a ``crontab(...)`` the worker follows."""

    def decorate(func: Callable) -> Callable:
        if name in _DEFINITIONS and _DEFINITIONS[name].func is not func:
            raise ValueError(f"job {name!r} is declared twice")
        _DEFINITIONS[name] = JobDefinition(func, retries, retry_delay, periodic)
        return func

    return decorate


def make_huey(config) -> Huey:
    """The queue these settings describe (immediate mode without a worker)."""
    if not config.get("JOBS_WORKER"):
        return Huey("forum", results=False, immediate=True)
    if config.get("REDIS_URL"):
        return RedisHuey("forum", results=False, url=config["REDIS_URL"])
    path = Path(config["JOBS_SQLITE_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("forum", results=False, filename=str(path))


class Jobs:
    """One application's queue and the huey tasks of the declared jobs."""

    def __init__(self, app: Flask, huey: Huey):
        self.app = app
        self.huey = huey
        self.tasks: dict[str, Callable] = {}
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

    def _in_app_context(self, func: Callable) -> Callable:
        app, immediate = self.app, self.immediate

        def run(*args):
            with app.app_context():
                try:
                    return func(*args)
                except RetryLater as exc:
                    if immediate:  # the enqueuing process has its own retries (or none)
                        log.info("%s: %s", func.__name__, exc)
                        return None
                    log.warning("%s: %s", func.__name__, exc)
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
        reason = f": {exc}" if exc is not None else " (see the warning above)"
        if isinstance(task, PeriodicTask):  # it runs again at its next time
            log.error("periodic job %s failed%s", task.name, reason)
        else:
            log.error("job %s (%s) parked after its retries%s", task.name, task.id, reason)

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


__all__ = ["RetryLater", "crontab", "enqueue", "get_jobs", "init_app", "job", "Jobs"]
