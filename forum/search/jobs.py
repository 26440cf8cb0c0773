"""Search's jobs (``forum/jobs.py``): applying the outbox, sweeping it, checking the index.

The outbox rows are the durable record of every change: a job that is lost (a web process dying
between its commit and the enqueue, a worker killed mid-job) loses nothing, since the periodic
sweep applies whatever is still pending. So the jobs carry no arguments and may run twice.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from ..jobs import RetryLater, crontab, job
from .health import index_verdict
from .index import IndexUnavailable

log = logging.getLogger("forum.search")


def _service():
    from . import get_search_service

    return get_search_service()


def apply_all(service) -> int:
    """Apply every pending change this node's index lacks; how many were applied."""
    applied = total = service.apply_pending()
    while applied:
        applied = service.apply_pending()
        total += applied
    return total


@job("search.apply_outbox", retries=8, retry_delay=2.0)
def apply_outbox() -> None:
    """After a commit: apply the outbox; retried with backoff while the index is busy."""
    service = _service()
    seen = service.last_change()
    apply_all(service)
    # Only what was there at the start counts: changes committed meanwhile have jobs of their
    # own, and under a steady stream of writes there always are some (a retry and a "still
    # pending" warning for each would be noise).
    left = service.pending_count(up_to=seen)
    if left:
        raise RetryLater(f"{left} index change(s) still pending")


@job("search.sweep_outbox", retries=0, periodic=crontab())
def sweep_outbox() -> None:
    """Every minute: apply what no job applied (lost or parked jobs, changes written by
    commands), then check the index as /healthz does (it opens and reads whole and holds as many
    documents as it should): a damaged or missing index, or one that lost documents, is repaired
    now rather than at the hourly comparison."""
    service = _service()
    apply_all(service)
    verdict = index_verdict(service)
    if verdict != "ok":
        log.error("search sweep: %s; checking and repairing", verdict)
        check_and_repair(service)


@job("search.repair_index", retries=0)
def repair_index() -> None:
    """A search failed in a web process: check the index now and repair it if it is damaged
    (other searches may have asked too: the first repair leaves the others a cheap check)."""
    service = _service()
    verdict = index_verdict(service)
    if verdict != "ok":
        log.error("search repair asked: %s", verdict)
        check_and_repair(service)


@job("search.rebuild_index", retries=0)
def rebuild_index() -> None:
    """A web process found the index missing or written by an older version as it started, and
    asked the worker to build it: a build leaves its process holding the memory it took, over
    300 MiB at 100,000 posts, which a web worker would keep for good. Each web process asks; the
    first job builds, the others find the index current."""
    _service().rebuild_if_first(replace=True)


@job("search.prune_outbox", retries=0, periodic=crontab(minute="7"))
def prune_outbox() -> None:
    """Hourly: mark this node alive and forget outbox rows every node applied over an hour ago."""
    _service().prune()


@job("search.check_index", retries=0, periodic=crontab(minute="37"))
def check_index() -> None:
    """Hourly: ``flask forum check-index --repair`` in the worker."""
    check_and_repair(_service())


def check_and_repair(service) -> str:
    """Compare the index with the database and repair what differs (an unreadable index is
    rebuilt); what was done, as logged."""
    from .consistency import compare_index, repair_index

    apply_all(service)  # what waits in the outbox is no problem
    with Session(service.engine) as session:
        try:
            report = compare_index(session, service.store)
        except IndexUnavailable as exc:
            with service.store.rebuild_lock() as mine:
                if not mine:
                    return "the index is being rebuilt by another process"
                count = service.rebuild()
            outcome = f"the index could not be read ({exc}); rebuilt it: {count} documents"
            log.error("search check: %s", outcome)
            return outcome
        if not report.problems:
            return "the index agrees with the database"
        repair_index(session, service.store, report)
    outcome = (
        f"repaired {len(report.missing)} missing, {len(report.stale)} stale and "
        f"{len(report.extra)} extra document(s)"
    )
    log.warning("search check: %s", outcome)
    return outcome
