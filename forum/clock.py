"""The time the forum records: naive UTC, the one form every timestamp column holds.

Naive because SQLite keeps no zone and the SQLModel version in use stores naive datetimes; UTC so
that comparisons across nodes and daylight-saving changes are plain subtraction. Pages convert
to the reader's zone when they show a time.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def machine_time(moment: datetime) -> str:
    """A moment as HTML's ``<time datetime>`` wants it: UTC to the second, ``2026-12-01T09:30:00Z``
    (the checker refuses more than three digits of a second; a naive moment is UTC already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"
