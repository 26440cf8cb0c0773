"""The search area's part of GET /healthz and of ``flask forum search-status``: the directory is
writable, the live index opens and reads whole, and it holds as many documents as the database
has indexable ones, give or take the changes still waiting in the outbox; and the outbox is being
applied (its oldest change is not too old)."""

from __future__ import annotations

import logging
import os
import tempfile
import time
import weakref
from pathlib import Path

from flask import current_app, g
from sqlmodel import Session

from ..clock import utcnow
from ..core.contributions import health_checks, health_figures
from . import get_search_service
from .documents import REGISTRY
from .index import IndexUnavailable

log = logging.getLogger("forum.search")
VERDICT_SECONDS = 5.0  # how long a verdict is reused: a load balancer may ask every second
_verdicts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # service -> (time, verdict)


@health_checks.provide
def search_health() -> dict:
    service = get_search_service()
    now = time.monotonic()
    cached = _verdicts.get(service)
    if cached is None or now - cached[0] >= VERDICT_SECONDS:
        cached = _verdicts[service] = (now, index_verdict(service))
    return {"search_index": cached[1], "search_outbox": outbox_verdict(_outbox())}


@health_figures.provide
def search_figures() -> dict:
    count, age = _outbox() or (None, None)
    return {"search_pending_changes": count, "search_oldest_pending_seconds": age}


def _outbox() -> tuple[int, float | None] | None:
    """The changes this node has yet to apply and the age of the oldest in seconds (asked once
    per request), or None if the database cannot say."""
    if "search_outbox" not in g:
        try:
            count, oldest = get_search_service().pending_summary()
        except Exception as exc:  # reported as the database's failure, never raised
            log.warning("health check: search outbox unreadable: %s", exc)
            g.search_outbox = None
        else:
            age = None if oldest is None else round((utcnow() - oldest).total_seconds(), 1)
            g.search_outbox = (count, age)
    return g.search_outbox


def outbox_verdict(outbox: tuple[int, float | None] | None) -> str:
    """The outbox is being applied: its oldest change has waited no longer than
    HEALTH_PENDING_AGE (a stopped worker, an index locked for long, a failing change)."""
    if outbox is None:
        return "error: the search outbox cannot be read"
    count, age = outbox
    limit = float(current_app.config["HEALTH_PENDING_AGE"])
    if age is not None and age > limit:
        return (
            f"error: {count} index change(s) pending, the oldest for {age:.0f} s "
            "(is the job worker running?)"
        )
    return "ok"


def index_verdict(service) -> str:
    """ "ok" or "error: " and what is wrong (logged)."""
    try:
        problem = _directory_problem(service.store.root) or _index_problem(service)
    except Exception as exc:  # the database, say: reported, never raised
        problem = f"cannot check the index ({exc.__class__.__name__})"
    if problem is None:
        return "ok"
    log.warning("health check: search index: %s", problem)
    return f"error: {problem}"


def _directory_problem(path: Path) -> str | None:
    if not path.is_dir():
        return f"search directory {path} does not exist"
    if not os.access(path, os.W_OK):
        return f"search directory {path} is not writable"
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".healthz-"):
            pass
    except OSError as exc:
        return f"search directory {path} is not writable ({exc.strerror})"
    return None


def _index_problem(service) -> str | None:
    try:
        held = service.store.check()
    except IndexUnavailable as exc:
        return str(exc)
    with Session(service.engine) as session:
        expected = indexable_count(session)
    pending = service.pending_count()
    if abs(held - expected) > pending:
        return (
            f"the index holds {held} documents, the database has {expected} to index "
            f"({pending} change(s) pending): run `flask forum check-index`"
        )
    return None


def indexable_count(session: Session) -> int:
    """How many documents the index should hold, counted in the database by each registered
    type with the rules its provider indexes by (``Provider.count``): threads with their
    visible replies, published lessons, visible projects, and what higher areas register
    (published events and their transcripts)."""
    return sum(provider.count(session) for provider in REGISTRY.values() if provider.count)
