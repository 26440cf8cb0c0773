"""Which outbox rows each node's index holds.

Every node (one ``SEARCH_DIR``, shared by that machine's workers) records each outbox row it
applied as a ``SearchOutboxApplied`` row. A node's pending changes are the outbox rows without its
mark. There is no "highest applied id": on PostgreSQL a transaction that took a lower outbox id
can commit after one with a higher id was applied, and a cursor would skip it for good; a mark
per row cannot skip anything, whatever order rows become visible in. On SQLite writes are
serialised, so ids commit in order, but the same rule serves both.

An outbox row is deleted only once every registered node has marked it. A node that has not been
seen for ``FORGET_AFTER`` (its machine is gone) is forgotten with its marks so that it no longer
holds rows back; if it ever comes back, its index no longer matches the database's record and is
rebuilt at start.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module

from sqlalchemy import delete, exists, literal, select, update
from sqlmodel import Session

from ..clock import utcnow
from .models import SearchNode, SearchOutbox, SearchOutboxApplied

FORGET_AFTER = timedelta(days=7)  # a node down longer is rebuilt when it returns
CHUNK = 5000  # ids per statement (SQLite allows 32,766 parameters)


def not_applied_by(node_id: str | None):
    """The outbox rows node ``node_id`` has not applied (every row for an unknown node)."""
    return ~exists(
        select(1)
        .where(
            SearchOutboxApplied.node_id == (node_id or ""),
            SearchOutboxApplied.outbox_id == SearchOutbox.id,
        )
        .correlate(SearchOutbox)
    )


def is_registered(session: Session, node_id: str | None) -> bool:
    return node_id is not None and session.get(SearchNode, node_id) is not None


def register(session: Session, node_id: str) -> None:
    """Record the node (or that it was seen now)."""
    if not touch(session, node_id):
        session.execute(_insert(session, SearchNode).values(id=node_id, seen_at=utcnow()))


def touch(session: Session, node_id: str) -> bool:
    """Note that the node is alive; False when the database does not know it."""
    result = session.execute(
        update(SearchNode).where(SearchNode.id == node_id).values(seen_at=utcnow())
    )
    return bool(result.rowcount)


def mark_applied(session: Session, node_id: str, outbox_ids: Iterable[int]) -> None:
    """Record that the node's index holds these rows (rows pruned meanwhile are skipped, marks
    another worker of the node wrote first are kept)."""
    ids = list(outbox_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(
            _insert(session, SearchOutboxApplied).from_select(
                ["node_id", "outbox_id"],
                select(literal(node_id), SearchOutbox.id).where(SearchOutbox.id.in_(chunk)),
            )
        )


def replace_marks(session: Session, node_id: str, outbox_ids: Iterable[int]) -> None:
    """After a rebuild: the node holds exactly these rows (what the build read); changes another
    worker applied to the replaced index meanwhile are pending again."""
    touch(session, node_id)  # waits for a worker marking rows it applied to the replaced index
    session.execute(
        delete(SearchOutboxApplied).where(SearchOutboxApplied.node_id == node_id),
        execution_options={"synchronize_session": False},
    )
    mark_applied(session, node_id, outbox_ids)


def visible_ids(session: Session) -> list[int]:
    """Every outbox row this transaction can see (a rebuild reads them before the content)."""
    return list(session.execute(select(SearchOutbox.id)).scalars())


def prune(
    session: Session, *, older_than: timedelta, forget_after: timedelta = FORGET_AFTER
) -> int:
    """Forget nodes silent for ``forget_after``, then delete the outbox rows older than
    ``older_than`` that every remaining node has applied (their marks go with them)."""
    now = utcnow()
    quiet = {"synchronize_session": False}
    session.execute(
        delete(SearchNode).where(SearchNode.seen_at < now - forget_after), execution_options=quiet
    )
    missing_somewhere = exists(
        select(SearchNode.id)
        .where(
            ~exists(
                select(1)
                .where(
                    SearchOutboxApplied.node_id == SearchNode.id,
                    SearchOutboxApplied.outbox_id == SearchOutbox.id,
                )
                .correlate(SearchNode, SearchOutbox)
            )
        )
        .correlate(SearchOutbox)
    )
    result = session.execute(
        delete(SearchOutbox).where(SearchOutbox.created_at < now - older_than, ~missing_somewhere),
        execution_options=quiet,
    )
    return result.rowcount or 0


def _insert(session: Session, model):
    """INSERT that leaves an existing row alone (two workers of a node may mark the same row)."""
    # The engine has loaded its own dialect; importing PostgreSQL's on SQLite would add its four
    # drivers' modules (some 2 MiB) to every web worker.
    dialect = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    return dialect.insert(model).on_conflict_do_nothing()
