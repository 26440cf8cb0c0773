"""``flask forum import FILE.jsonl[.gz] --theme SLUG``: threads and replies from JSON Lines.

The file is read by ``jsonl.py`` (the format of ``shared/corpus/``). Authors become placeholder
accounts (no e-mail, cannot log in), threads and replies keep their order and dates, and every
source id is remembered in ``imported_item`` so running the same file again imports nothing
twice (new replies of an already imported thread are appended).

Speed: the Markdown of the bodies is rendered by a pool of processes while this one writes; rows
are inserted in batches with multi-row statements (not one ORM object at a time); each batch
records one search outbox row per thread it touched, in its own transaction. The command then
applies the outbox in one bulk index writer (``SearchService.apply_pending(bulk=True)``).
"""

from __future__ import annotations

import multiprocessing
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from pydantic_core import PydanticUndefined
from slugify import slugify
from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, select

from ..accounts import handles
from ..accounts.models import User
from ..core.models import Theme
from ..core.queries import all_themes, theme_by_slug
from ..discussions.models import Post, Thread
from ..language import normalise_language
from .jsonl import (
    Source,
    batches,
    fill_missing_dates,
    group_threads,
    parse_date,
    read_records,
    render,
)
from .models import ImportedItem
from .sync import record_changes

BATCH_POSTS = 2000  # posts per transaction


class ImportError_(ValueError):
    """The file or the theme cannot be imported (message for the command line)."""


@dataclass
class ImportReport:
    threads: int = 0
    posts: int = 0
    users: int = 0
    skipped: int = 0
    invalid: int = 0


def row_builder(model) -> Callable[..., dict]:
    """``build(**values)``: a row for a multi-row insert into ``model``'s table with the model's
    defaults filled in (``default_factory`` called per row), as constructing the object would."""
    columns = set(model.__table__.columns.keys())
    static, factories = {}, {}
    for name, info in model.model_fields.items():
        if name not in columns:
            continue
        if info.default_factory is not None:
            factories[name] = info.default_factory
        elif info.default is not PydanticUndefined and not (
            model.__table__.c[name].primary_key and info.default is None
        ):
            static[name] = info.default

    def build(**values) -> dict:
        row = dict(static)
        row.update({name: make() for name, make in factories.items() if name not in values})
        row.update(values)
        return row

    return build


def _insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one multi-row statement; their new ids in the order of ``rows``."""
    if not rows:
        return []
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


class Importer:
    def __init__(self, session: Session, theme: Theme, *, source: str):
        self.session = session
        self.theme = theme
        self.source = source
        known = session.exec(select(ImportedItem.source_key, ImportedItem.entity_id)).all()
        self.known: dict[str, int] = dict(known)
        self.report = ImportReport()
        self._user = row_builder(User)
        self._thread = row_builder(Thread)
        self._post = row_builder(Post)
        self._item = row_builder(ImportedItem)

    def _remember(self, entity: str, pairs: list[tuple[str, int]]) -> None:
        if not pairs:  # (an insert given no rows would insert one row of defaults)
            return
        self.session.execute(
            insert(ImportedItem.__table__),
            [self._item(source_key=key, entity=entity, entity_id=i) for key, i in pairs],
        )
        self.known.update(pairs)

    def create_authors(self, records: Iterable[dict], *, chunk: int = 1000) -> None:
        """The placeholder account of every author not imported before."""
        names = dict.fromkeys(str(r["author"])[:80] for r in records if r.get("author"))
        new = [name for name in names if f"user:{name}" not in self.known]
        new_handles = handles.allocate(self.session, new)
        for start in range(0, len(new), chunk):
            names_chunk = new[start : start + chunk]
            ids = _insert_returning_ids(
                self.session,
                User,
                [
                    self._user(
                        display_name=name,
                        handle=handle,
                        email=None,
                        password_hash=None,
                        is_placeholder=True,
                        session_token=secrets.token_hex(16),
                        bio="",
                        bio_html="",
                    )
                    for name, handle in zip(names_chunk, new_handles[start : start + chunk])
                ],
            )
            self._remember("user", [(f"user:{name}", i) for name, i in zip(names_chunk, ids)])
            self.report.users += len(ids)

    def author_id(self, pseudonym) -> int | None:
        return self.known.get(f"user:{str(pseudonym)[:80]}") if pseudonym else None

    def import_batch(self, items: list[Source]) -> int:
        """Insert the new threads and posts of ``items`` (rendered); returns how many posts."""
        plans = []  # (item, thread key, [(post key, record, html)])
        for item in items:
            fresh = []
            for record, html in zip(item.records, item.html):
                post_key = f"post:{self.source}:{record['post_id']}"
                if post_key in self.known:
                    self.report.skipped += 1
                    continue
                self.known[post_key] = 0  # a repeated post id inside the file counts once
                fresh.append((post_key, record, html))
            if fresh:
                plans.append((item, f"thread:{self.source}:{item.source_id}", fresh))
        if not plans:
            return 0
        self._create_threads(
            [(item, key, fresh) for item, key, fresh in plans if key not in self.known]
        )
        threads = {key: self.known[key] for _, key, _ in plans}
        post_rows, keys = [], []
        for _, key, fresh in plans:
            for post_key, record, html in fresh:
                post_rows.append(
                    self._post(
                        thread_id=threads[key],
                        author_id=self.author_id(record.get("author")),
                        body=record["body"],
                        body_html=html,
                        language=normalise_language(record.get("lang")) or "sv",
                        created_at=parse_date(record["created"]),
                    )
                )
                keys.append(post_key)
        ids = _insert_returning_ids(self.session, Post, post_rows)
        self._remember("post", list(zip(keys, ids)))
        self._update_threads(plans, post_rows, ids)
        record_changes(
            self.session, [("thread", thread_id, "upsert") for thread_id in threads.values()]
        )
        self.report.posts += len(ids)
        return len(ids)

    def _create_threads(self, plans) -> None:
        if not plans:
            return
        rows = []
        for item, _key, fresh in plans:
            first = fresh[0][1]
            created = parse_date(first["created"])
            rows.append(
                self._thread(
                    kind="discussion",
                    theme_id=self.theme.id,
                    title=item.title,
                    slug=slugify(item.title, max_length=200) or "trad",
                    author_id=self.author_id(first.get("author")),
                    language=normalise_language(first.get("lang")) or "sv",
                    created_at=created,
                    last_post_at=created,
                    post_count=0,
                )
            )
        ids = _insert_returning_ids(self.session, Thread, rows)
        self._remember("thread", [(key, i) for (_, key, _), i in zip(plans, ids)])
        self.report.threads += len(ids)

    def _update_threads(self, plans, post_rows: list[dict], post_ids: list[int]) -> None:
        """Counters, last post and accepted answer of every thread that got posts."""
        thread_ids = sorted({row["thread_id"] for row in post_rows})
        table = Thread.__table__
        state = {
            row.id: dict(row._mapping)
            for row in self.session.execute(
                select(
                    table.c.id,
                    table.c.post_count,
                    table.c.last_post_at,
                    table.c.last_post_id,
                    table.c.solution_post_id,
                ).where(table.c.id.in_(thread_ids))
            )
        }
        records = [record for _, _, fresh in plans for _, record, _ in fresh]
        for row, post_id, record in zip(post_rows, post_ids, records):
            thread = state[row["thread_id"]]
            thread["post_count"] += 1
            if thread["last_post_id"] is None or row["created_at"] >= thread["last_post_at"]:
                thread["last_post_at"], thread["last_post_id"] = row["created_at"], post_id
            if (
                record.get("accepted")
                and record.get("kind") == "answer"
                and thread["solution_post_id"] is None
            ):
                thread["solution_post_id"] = post_id
        statement = (
            update(table)
            .where(table.c.id == bindparam("tid"))
            .values(
                post_count=bindparam("count"),
                last_post_at=bindparam("at"),
                last_post_id=bindparam("last"),
                solution_post_id=bindparam("solution"),
            )
        )
        self.session.connection().execute(
            statement,
            [
                {
                    "tid": i,
                    "count": s["post_count"],
                    "at": s["last_post_at"],
                    "last": s["last_post_id"],
                    "solution": s["solution_post_id"],
                }
                for i, s in state.items()
            ],
        )


def import_file(
    *,
    session_factory: Callable[[], Session],
    path: str | Path,
    theme_slug: str,
    progress: Callable[[int], None] | None = None,
    batch_posts: int = BATCH_POSTS,
    processes: int = 2,
) -> ImportReport:
    """Import ``path`` into theme ``theme_slug``, committing per batch of about ``batch_posts``
    posts. ``processes`` render Markdown in parallel (1: in this process). The changes wait in the
    search outbox for the caller to apply."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"No such file: {path}")
    threads, invalid = group_threads(read_records(path))
    # records without a date take their neighbours'; a file without any, its own date
    fill_missing_dates(
        threads, datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    )
    source = path.name.split(".")[0]
    session = session_factory()
    pool = None
    try:
        theme = theme_by_slug(session, theme_slug)
        if theme is None:
            slugs = ", ".join(known.slug for known in all_themes(session))
            raise ImportError_(f"Unknown theme {theme_slug!r}; choose one of: {slugs}")
        importer = Importer(session, theme, source=source)
        importer.report.invalid = invalid
        session.info["search_defer_apply"] = True  # the caller applies the outbox
        importer.create_authors(record for records in threads.values() for record in records)
        session.commit()
        # smaller batches for the pool keep both processes busy while this one writes
        chunks = batches(threads, max(1, batch_posts // 4))
        if processes > 1:
            pool = multiprocessing.get_context("fork").Pool(processes)
            rendered = pool.imap(render, chunks)
        else:
            rendered = map(render, chunks)
        while True:
            batch = [item for chunk in islice(rendered, 4) for item in chunk]
            if not batch:
                break
            importer.import_batch(batch)
            session.commit()
            if progress is not None:
                progress(sum(len(item.records) for item in batch))
        return importer.report
    finally:
        if pool is not None:
            pool.terminate()
        session.close()
