"""Keeping the index consistent with the database.

1. On every flush of any SQLAlchemy session, changes to registered models (threads, posts,
   lessons, projects and their link rows) are written as ``SearchOutbox`` rows on the same
   connection, so they commit or roll back together with the content.
2. After the commit, the outbox rows this node has not applied are applied to Whoosh (under its
   write lock with a timeout) and marked applied for this node (``nodes.py``: one mark per row
   and node, never a highest id, so a row that commits late is still pending). A failure leaves
   them pending with ``attempts``/``last_error``.
3. Pending rows are retried on the next commit, by a background thread in each process and at
   start-up. Applying re-reads the current database state, so it is idempotent and order-free.
   Several nodes sharing one database each keep their own index current from the same change
   log; a row is pruned once every node has applied it.
4. A missing or corrupt index at start: the forum serves on, search reports that the index is being
   rebuilt, and one process (flock) rebuilds it in a background thread.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import event, func, insert, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..clock import utcnow
from . import nodes
from .documents import LINKS, REGISTRY
from .index import IndexBusy, IndexStore, IndexUnavailable
from .models import SearchOutbox

log = logging.getLogger("forum.search")
_services: weakref.WeakKeyDictionary[Engine, SearchService] = weakref.WeakKeyDictionary()
_MODELS = {}  # model class -> entity
PRUNE_EVERY = 720  # retry rounds between prunings of old applied outbox rows (an hour at 5 s)
REPAIR_ASK_SECONDS = 5.0  # a failing index fails every search: one request in a while is enough
APPLY_ORDER = {"thread": 0, "lesson": 1, "project": 2, "post": 3}


def _entity_of(obj) -> str | None:
    if len(_MODELS) != len(REGISTRY):  # a higher area registered a type since
        _MODELS.update({provider.model: name for name, provider in REGISTRY.items()})
    return _MODELS.get(type(obj))


def _changed(obj, watched: frozenset[str] | None) -> bool:
    state = sa_inspect(obj)
    names = watched if watched is not None else [attr.key for attr in state.mapper.column_attrs]
    return any(state.attrs[name].history.has_changes() for name in names if name in state.attrs)


def changes_in(session) -> list[tuple[str, int, str]]:
    """(entity, id, operation) for the registered objects this flush touches."""
    found: dict[tuple[str, int], str] = {}

    def add(entity: str, entity_id, operation: str = "upsert") -> None:
        if entity_id is not None:
            found.setdefault((entity, int(entity_id)), operation)

    for obj in list(session.new) + list(session.dirty):
        entity = _entity_of(obj)
        if entity is not None:
            provider = REGISTRY[entity]
            if obj in session.new or _changed(obj, provider.watched):
                add(entity, obj.id)
                for other, other_id in provider.cascades(obj):
                    add(other, other_id)
        elif type(obj) in LINKS:
            link_entity, attr = LINKS[type(obj)]
            add(link_entity, getattr(obj, attr))
    for obj in session.deleted:
        entity = _entity_of(obj)
        if entity is not None:
            found[(entity, int(obj.id))] = "delete"
        elif type(obj) in LINKS:
            link_entity, attr = LINKS[type(obj)]
            add(link_entity, getattr(obj, attr))
    return [(entity, entity_id, op) for (entity, entity_id), op in found.items()]


def record_changes(session, changes: list[tuple[str, int, str]]) -> None:
    """Write outbox rows for ``(entity, id, operation)`` changes in the session's transaction
    (for writes that bypass the ORM's flush, like the bulk import)."""
    if changes:
        now = utcnow()
        session.connection().execute(
            insert(SearchOutbox.__table__),
            [
                {
                    "entity": entity,
                    "entity_id": entity_id,
                    "operation": op,
                    "created_at": now,
                    "attempts": 0,
                }
                for entity, entity_id, op in changes
            ],
        )
        session.info["search_outbox_pending"] = True


def _after_flush(session, _flush_context) -> None:
    record_changes(session, changes_in(session))


def _after_commit(session) -> None:
    if not session.info.pop("search_outbox_pending", False):
        return
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    service = _services.get(engine)
    if service is not None and not session.info.get("search_defer_apply"):
        if service.schedule is not None:  # the job queue applies them (forum/search/jobs.py)
            service.schedule()
        else:
            service.apply_pending()


def _after_rollback(session) -> None:
    session.info.pop("search_outbox_pending", None)


_listening = False


def listen() -> None:
    """Install the session listeners once per process (they serve every app and engine)."""
    global _listening
    if not _listening:
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))
        _listening = True


class SearchService:
    """One per application: the index store, the outbox applier and the background jobs."""

    def __init__(self, engine: Engine, store: IndexStore, *, retry_interval: float = 0.0):
        self.engine = engine
        self.store = store
        self.retry_interval = retry_interval
        self.schedule: Callable[[], None] | None = None  # hands the outbox to the job queue
        self.repair: Callable[[], None] | None = None  # asks the job worker to repair the index
        self._repair_asked = -REPAIR_ASK_SECONDS
        self.rebuild_thread: threading.Thread | None = None
        self._apply_lock = threading.Lock()
        _services[engine] = self

    # -- state ------------------------------------------------------------------------------------
    def available(self) -> bool:
        """The index can be searched (it exists and no rebuild of a missing one is running)."""
        try:
            self.store.open()
        except IndexUnavailable:
            return False
        return True

    def request_repair(self) -> None:
        """A search failed: have the worker check and repair the index now, not at its next
        periodic check (asked at most every REPAIR_ASK_SECONDS by each process)."""
        now = time.monotonic()
        if self.repair is None or now - self._repair_asked < REPAIR_ASK_SECONDS:
            return
        self._repair_asked = now
        self.repair()

    def pending_count(self, *, up_to: int | None = None) -> int:
        """Changes this node's index has yet to apply (``up_to``: of the outbox ids up to it)."""
        query = select(func.count()).select_from(SearchOutbox).where(self._pending())
        if up_to is not None:
            query = query.where(SearchOutbox.id <= up_to)
        with Session(self.engine) as session:
            return session.exec(query).one()

    def pending_summary(self) -> tuple[int, datetime | None]:
        """How many changes this node's index has yet to apply, and when the oldest was made."""
        with Session(self.engine) as session:
            count, oldest = session.exec(
                select(func.count(), func.min(SearchOutbox.created_at)).where(self._pending())
            ).one()
            return count, oldest

    def last_change(self) -> int:
        """The highest outbox id this transaction sees (0 when there is none)."""
        with Session(self.engine) as session:
            return session.exec(select(func.max(SearchOutbox.id))).one() or 0

    def _pending(self):
        """Rows this node has not applied (whatever other nodes sharing the database did)."""
        return nodes.not_applied_by(self.store.read_node_id())

    def _known(self, *, touch: bool = False) -> bool:
        """The database records what this directory's index holds (``touch``: and now knows
        that the node is alive)."""
        node = self.store.read_node_id()
        with Session(self.engine) as session:
            if not touch:
                return nodes.is_registered(session, node)
            known = node is not None and nodes.touch(session, node)
            session.commit()
            return known

    # -- applying the outbox ----------------------------------------------------------------------
    def apply_pending(
        self, *, limit: int = 1000, timeout: float | None = None, bulk: bool = False, procs: int = 1
    ) -> int:
        """Apply pending outbox rows; returns how many were applied (0 on failure, logged).
        ``bulk``: a writer with a large memory pool (an import applying thousands of rows), whose
        documents are analysed by ``procs`` processes."""
        with self._apply_lock, Session(self.engine, expire_on_commit=False) as session:
            node = self.store.read_node_id()
            rows = session.exec(
                select(SearchOutbox).where(self._pending()).order_by(SearchOutbox.id).limit(limit)
            ).all()
            if not rows:
                return 0
            ids = [row.id for row in rows]
            written = self.store.live_path()
            try:
                self._apply_rows(session, rows, timeout=timeout, bulk=bulk, procs=procs)
            except Exception as exc:  # busy, unavailable or broken: keep the rows pending
                session.rollback()
                log.warning("search: %d change(s) left pending: %s", len(ids), exc)
                session.execute(
                    update(SearchOutbox)
                    .where(SearchOutbox.id.in_(ids))
                    .values(attempts=SearchOutbox.attempts + 1, last_error=str(exc)[:500])
                )
                session.commit()
                return 0
            if node is None or not nodes.touch(session, node):
                session.rollback()
                log.error(
                    "search: the database has no record of this index (node %s); "
                    "restart to rebuild it, or run `flask forum reindex`",
                    node,
                )
                return 0
            # The touch above holds the node's row until this commit, and a rebuild's
            # replace_marks waits for it: a rebuild that swapped in another index meanwhile
            # would not see these marks, so leave the rows pending for the new index.
            if self.store.live_path() != written:
                session.rollback()
                return 0
            nodes.mark_applied(session, node, ids)
            session.commit()
            return len(ids)

    def _apply_rows(
        self, session: Session, rows, *, timeout: float | None, bulk: bool = False, procs: int = 1
    ) -> None:
        by_entity: dict[str, list[int]] = {}
        for row in rows:
            ids = by_entity.setdefault(row.entity, [])
            if row.entity_id not in ids:
                ids.append(row.entity_id)
        with self.store.writer(timeout=timeout, bulk=bulk, procs=procs) as writer:
            apply_entities(session, writer, by_entity)
            session.rollback()  # only reads happened; release the read transaction

    def prune(self, *, older_than: timedelta = timedelta(hours=1)) -> int:
        """Note that this node is alive, then delete the outbox rows older than ``older_than``
        that every node has applied (the index is rebuildable anyway)."""
        self._known(touch=True)
        with Session(self.engine) as session:
            count = nodes.prune(session, older_than=older_than)
            session.commit()
            return count

    # -- rebuilding -------------------------------------------------------------------------------
    def rebuild(
        self,
        *,
        progress: Callable[[int], None] | None = None,
        total_hint: Callable[[int], None] | None = None,
        procs: int = 1,
    ) -> int:
        """Build a complete index beside the live one from the database, then swap it in.
        ``procs`` > 1 analyses documents in that many processes (the command line; a web worker
        rebuilding in a background thread uses one)."""
        node = self.store.node_id()
        with Session(self.engine) as session:
            nodes.register(session, node)  # from now on no row this index lacks is pruned
            session.commit()
            built = nodes.visible_ids(session)  # read before the content: the build holds them
            if total_hint is not None:
                total_hint(count_documents(session))
            count = 0
            with self.store.build_beside(procs=procs) as writer:
                for provider in REGISTRY.values():
                    for doc in provider.iter_documents(session):
                        writer.add_document(**doc)
                        count += 1
                        if progress is not None:
                            progress(1)
        with Session(self.engine) as session:
            nodes.replace_marks(session, node, built)
            session.commit()
        while self.apply_pending():  # what committed during the build
            pass
        return count

    def ensure_index(self, *, background: bool = True, rebuild: bool = True) -> str:
        """At start: 'ok', 'created' (empty database), 'rebuilding' (started in the background),
        'outdated' (written by an older version: searched, and rebuilt beside it in the
        background), or 'missing' (``rebuild=False``: left to the caller, e.g. ``flask forum
        reindex``; 'outdated' is reported the same way)."""
        try:
            self.store.check()
            known = self._known(touch=True)
            if known and self.store.is_current():
                return "ok"
            log.warning(
                "search: %s; rebuilding it beside the live one",
                "the index was written by an older version"
                if known
                else "the database has no record of what the index holds",
            )
            if rebuild:
                self._start_rebuild(background, replace=True)
            return "outdated"
        except IndexUnavailable as exc:
            if self.store.exists():
                log.error("search: %s; moving it aside and rebuilding", exc)
                with self.store.rebuild_lock() as mine:
                    if mine:
                        self.store.discard_live()
        with Session(self.engine) as session:
            empty = count_documents(session) == 0
        if empty:
            with self.store.rebuild_lock(blocking=True):
                if not self.store.exists():
                    self.store.create_empty()
                    with Session(self.engine) as session:
                        node = self.store.node_id()
                        nodes.register(session, node)
                        nodes.replace_marks(session, node, nodes.visible_ids(session))
                        session.commit()
            return "created"
        if not rebuild:
            return "missing"
        self._start_rebuild(background, replace=False)
        return "rebuilding"

    def _start_rebuild(self, background: bool, *, replace: bool) -> None:
        if background:
            self.rebuild_thread = threading.Thread(
                target=self.rebuild_if_first,
                kwargs={"replace": replace},
                name="search-rebuild",
                daemon=True,
            )
            self.rebuild_thread.start()
        else:
            self.rebuild_if_first(replace=replace)

    def rebuild_if_first(self, replace: bool = False) -> None:
        """Rebuild unless another process does (or, without ``replace``, did: the index exists)."""
        with self.store.rebuild_lock() as mine:
            if not mine:
                return  # another process rebuilds; this one will see the swapped index
            if self.store.exists() and not (
                replace and not (self.store.is_current() and self._known())
            ):
                return
            started = time.monotonic()
            try:
                count = self.rebuild()
            except Exception:  # logged; search keeps saying it is being rebuilt
                log.exception("search: background rebuild failed")
                return
            log.info("search: rebuilt %d documents in %.1fs", count, time.monotonic() - started)

    def start_retry_loop(self) -> None:
        if self.retry_interval <= 0:
            return
        threading.Thread(target=self._retry_loop, name="search-outbox", daemon=True).start()

    def _retry_loop(self) -> None:
        rounds = 0
        while True:
            time.sleep(self.retry_interval)
            rounds += 1
            try:
                if self.available():
                    self.apply_pending()
                if rounds % PRUNE_EVERY == 0:
                    self.prune()
            except Exception:  # never let the loop die
                log.exception("search: retry failed")


def apply_entities(session: Session, writer, by_entity: dict[str, list[int]]) -> None:
    """Re-derive the documents of these entities (``{"thread": [ids], ...}``) in ``writer``."""
    done: set[str] = set()
    # containers first: a thread re-derives its replies, so a reply applied after it is skipped
    for entity in sorted(by_entity, key=lambda e: APPLY_ORDER.get(e, 9)):
        provider = REGISTRY.get(entity)
        if provider is not None:
            provider.apply(session, writer, by_entity[entity], done)


def count_documents(session: Session) -> int:
    """An upper bound of the documents a full rebuild writes."""
    return sum(
        session.exec(select(func.count()).select_from(provider.model)).one()
        for provider in REGISTRY.values()
    )


__all__ = ["SearchService", "listen", "changes_in", "IndexBusy", "IndexUnavailable"]
