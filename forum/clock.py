"""The time the forum records: naive UTC, the one form every timestamp column holds.

Naive because SQLite keeps no zone and the SQLModel version in use stores naive datetimes; UTC so
that comparisons across nodes and daylight-saving changes are plain subtraction. Pages convert
to the reader's zone when they show a time.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
