"""Search: a Whoosh index kept consistent with the database.

API for other areas
-------------------
- Nothing to call when you write content: changes to ``Thread``, ``Post``, ``ThreadGoal``,
  ``Project`` (+ ``ProjectTheme``/``ProjectGoal``/``ProjectPartner``) and ``Lesson``
  (+ ``LessonGoal``) are caught by SQLAlchemy session events on flush (``sync.py``), written to
  ``search_outbox`` in the same transaction and applied to the index after the commit by the job
  worker (``jobs.py``; in the committing process without one). Just ``flush``/``commit`` as
  usual.
- Visibility rules the index follows (``documents.py``, ``providers_projects.py``): a post with
  ``deleted_at`` or ``hidden_at`` set, a thread with ``hidden_at`` set (with all its replies), a
  lesson that is not ``published`` (and the replies of its discussion thread) are never indexed;
  e-mail addresses are stripped from indexed text.
- A new searchable type: write a ``documents.Provider`` (how to apply changes for a list of ids,
  how to iterate every document, which ids are visible, how many documents the database holds
  for the health check, and, for a type of a higher area, how its result rows load) and
  ``documents.register`` it; link tables go into ``documents.LINKS``; ``query.add_kind`` names
  its kinds on the search page and in ``type:``. A document key is ``entity:id``, or
  ``entity:id:part`` for one of several documents of an entity (a transcript window). A higher
  area (events: ``forum/agenda/searchable.py``) registers from its own module, which
  ``create_app`` imports before the index opens; search never imports it.
- Threads owned by other content (a lesson's, an event's discussion): ``documents.ThreadOwner``
  tells which of them are public (their owner is) and whether the opening post is indexed.
- ``get_search_service(app)`` -> ``SearchService`` (``apply_pending()``, ``rebuild()``,
  ``available()``); ``service.run_search(session=, service=, params=SearchParams(q=...))`` for a
  page of results reloaded from the database.
- Health: ``health.index_verdict(service)`` is the index's part of GET /healthz (through
  ``core.contributions.health_checks``); ``consistency.compare_index``/``repair_index`` are
  ``flask forum check-index``.
- Links to results: threads ``/threads/<id>-<slug>``, replies ``...#post-<id>``, lessons
  ``/lessons/<id>``, projects ``/projects/<slug>``, events ``/events/<id>``, a moment of an
  event's recording ``/events/<id>#t=<seconds>``.

Configuration: ``SEARCH_DIR``, ``SEARCH_LOCK_TIMEOUT`` (seconds a writer waits for Whoosh's lock),
``SEARCH_RETRY_INTERVAL`` (seconds between background retries of pending changes; 0 turns the
background loop off, the default in tests) and ``SEARCH_BACKGROUND_REBUILD``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    import click

    from ..jobs import get_jobs, nudge
    from . import health, jobs  # noqa: F401  (adds the index to GET /healthz; declares the jobs)
    from .index import IndexStore
    from .swedish import Lexicon
    from .sync import SearchService, listen

    listen()
    Lexicon.directory = Path(app.config["INSTANCE_DIR"]) / "cache"
    # Under `flask forum ...` the command decides (reindex builds; nothing starts in the
    # background).
    in_cli = click.get_current_context(silent=True) is not None
    store = IndexStore(
        app.config["SEARCH_DIR"], lock_timeout=float(app.config.get("SEARCH_LOCK_TIMEOUT", 10.0))
    )
    retry = float(app.config.get("SEARCH_RETRY_INTERVAL", 5.0))
    service = SearchService(app.extensions["forum_engine"], store, retry_interval=retry)
    app.extensions["search"] = service
    queue = get_jobs(app)
    # With a worker, a commit enqueues the outbox and the worker applies it; without one (huey's
    # immediate mode) the same job runs in the committing process, as it always did.
    service.schedule = lambda: nudge("search.apply_outbox", jobs=queue)
    if not queue.immediate:  # without a worker, `flask forum check-index --repair` does it
        service.repair = lambda: nudge("search.repair_index", jobs=queue)
    try:
        # With a worker, the worker builds (forum/search/jobs.py says why), not a web process.
        state = service.ensure_index(
            background=bool(app.config.get("SEARCH_BACKGROUND_REBUILD", True)),
            rebuild=not in_cli and queue.immediate,
        )
        if state == "ok" and queue.immediate:  # the worker applies them at its start
            service.apply_pending()
        elif state in ("outdated", "missing") and not in_cli:
            nudge("search.rebuild_index", jobs=queue)
    except Exception as exc:  # the forum serves on without search; /search says so
        app.logger.error("search index unavailable at start: %s", exc)
    if not in_cli:
        if queue.immediate:  # the worker's periodic sweep replaces the thread
            service.start_retry_loop()
        if not app.testing:
            warm_up()


def warm_up() -> None:
    """Load the Swedish word list (about a second) while a process boots, not on the first search
    a visitor makes or the first change the job worker applies."""
    from .swedish import Lexicon

    Lexicon.data()


def get_search_service(app: Flask | None = None):
    return (app or current_app).extensions["search"]
