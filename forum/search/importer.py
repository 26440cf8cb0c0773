"""``flask forum import FILE.jsonl[.gz] --theme SLUG``: threads and replies from JSON Lines.

The format is the one of ``shared/corpus/`` (thread_id, post_id, parent_id, kind, title, body, lang,
author, created, tags, ...). Authors become placeholder accounts (no e-mail, cannot log in),
threads and replies keep their order and dates, and every source id is remembered in
``imported_item`` so running the same file again imports nothing twice (new replies of an
already imported thread are appended). Rows are committed in batches and the search outbox is
applied in bulk every few batches (one index writer for many thousand posts, not one per post).
"""
from __future__ import annotations

import gzip
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from slugify import slugify
from sqlmodel import Session, select

from ..accounts.models import User
from ..core.models import Theme
from ..discussions.models import Post, Thread
from ..i18n import utcnow
from ..language import normalise_language
from ..markup import plain_text, render_markdown
from .models import ImportedItem

BATCH_POSTS = 2000
INDEX_BATCH_POSTS = 20_000  # posts committed between two index applications (one writer each)
TITLE_MAX = 200


class ImportError_(ValueError):
    """The file or the theme cannot be imported (message for the command line)."""


@dataclass
class ImportReport:
    threads: int = 0
    posts: int = 0
    users: int = 0
    skipped: int = 0
    invalid: int = 0


def read_records(path: str | Path) -> Iterator[dict]:
    """Records of a .jsonl or .jsonl.gz file; lines that are not JSON objects are yielded as None."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8", errors="replace"):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                yield None
                continue
            yield record if isinstance(record, dict) else None


def _date(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)


def _group_threads(records: Iterable[dict | None], report: ImportReport) -> dict[str, list[dict]]:
    """thread_id -> its records: the opening post first, then replies by date (file order on ties)."""
    threads: dict[str, list[tuple[int, dict]]] = {}
    for position, record in enumerate(records):
        if record is None or not record.get("thread_id") or not record.get("post_id") or not record.get("body"):
            report.invalid += 1
            continue
        threads.setdefault(str(record["thread_id"]), []).append((position, record))
    ordered = {}
    for thread_id, items in threads.items():
        items.sort(key=lambda item: (item[1].get("parent_id") is not None, item[1].get("created") or "", item[0]))
        ordered[thread_id] = [record for _, record in items]
    return ordered


class Importer:
    def __init__(self, session: Session, theme: Theme, *, source: str):
        self.session = session
        self.theme = theme
        self.source = source
        known = session.exec(select(ImportedItem.source_key, ImportedItem.entity_id)).all()
        self.known: dict[str, int] = dict(known)
        self.report = ImportReport()

    def author_id(self, pseudonym) -> int | None:
        if not pseudonym:
            return None
        name = str(pseudonym)[:80]
        key = f"user:{name}"
        if key not in self.known:
            user = User(display_name=name, email=None, password_hash=None, is_placeholder=True,
                        session_token=secrets.token_hex(16), bio="", bio_html="")
            self.session.add(user)
            self.session.flush()
            self._remember(key, "user", user.id)
            self.report.users += 1
        return self.known[key]

    def create_authors(self, records: Iterable[dict], *, chunk: int = 1000) -> None:
        """Create the placeholder accounts of every new author up front, a flush per ``chunk``
        (one flush per account made the import spend its time in the ORM)."""
        names = dict.fromkeys(str(r["author"])[:80] for r in records if r.get("author"))
        new = [name for name in names if f"user:{name}" not in self.known]
        for start in range(0, len(new), chunk):
            users = [User(display_name=name, email=None, password_hash=None, is_placeholder=True,
                          session_token=secrets.token_hex(16), bio="", bio_html="")
                     for name in new[start : start + chunk]]
            self.session.add_all(users)
            self.session.flush()
            for user in users:
                self._remember(f"user:{user.display_name}", "user", user.id)
            self.report.users += len(users)

    def _remember(self, key: str, entity: str, entity_id: int) -> None:
        self.session.add(ImportedItem(source_key=key, entity=entity, entity_id=entity_id))
        self.known[key] = entity_id

    def import_thread(self, source_id: str, records: list[dict]) -> int:
        """Import one thread's records; returns how many posts were added."""
        thread_key = f"thread:{self.source}:{source_id}"
        thread = self.session.get(Thread, self.known[thread_key]) if thread_key in self.known else None
        new_posts: list[tuple[str, Post, dict]] = []
        for record in records:
            post_key = f"post:{self.source}:{record['post_id']}"
            if post_key in self.known:
                self.report.skipped += 1
                continue
            language = normalise_language(record.get("lang")) or "sv"
            created = _date(record.get("created")) or (thread.created_at if thread else utcnow())
            author = self.author_id(record.get("author"))
            if thread is None:
                title = (record.get("title") or "").strip() or plain_text(record["body"], limit=90)
                title = " ".join(title.split())[:TITLE_MAX] or source_id
                thread = Thread(kind="discussion", theme_id=self.theme.id, title=title,
                                slug=slugify(title, max_length=200) or "trad", author_id=author,
                                language=language, created_at=created, last_post_at=created, post_count=0)
                self.session.add(thread)
                self.session.flush()
                self._remember(thread_key, "thread", thread.id)
                self.report.threads += 1
            body = str(record["body"])
            post = Post(thread_id=thread.id, author_id=author, body=body, body_html=render_markdown(body),
                        language=language, created_at=created)
            self.session.add(post)
            new_posts.append((post_key, post, record))
            self.known[post_key] = 0  # a repeated post id inside the file counts once
        if not new_posts:
            return 0
        self.session.flush()  # one flush for the thread's new posts
        for post_key, post, record in new_posts:
            self._remember(post_key, "post", post.id)
            thread.post_count += 1
            if post.created_at >= thread.last_post_at:
                thread.last_post_at, thread.last_post_id = post.created_at, post.id
            if record.get("accepted") and record.get("kind") == "answer" and thread.solution_post_id is None:
                thread.solution_post_id = post.id
        added = len(new_posts)
        self.report.posts += added
        return added


def import_file(
    *, session_factory: Callable[[], Session], path: str | Path, theme_slug: str, apply_index: Callable[[], None],
    progress: Callable[[int], None] | None = None, batch_posts: int = BATCH_POSTS,
    index_batch_posts: int = INDEX_BATCH_POSTS,
) -> ImportReport:
    """Import ``path`` into theme ``theme_slug``; commits per batch of ``batch_posts``, and applies
    the index in bulk every ``index_batch_posts`` (a writer per application costs a segment and a
    merge, so fewer and larger ones are faster; the changes wait as pending outbox rows meanwhile)."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"No such file: {path}")
    report = ImportReport()
    threads = _group_threads(read_records(path), report)
    source = path.name.split(".")[0]
    session = session_factory()
    try:
        theme = session.exec(select(Theme).where(Theme.slug == theme_slug)).first()
        if theme is None:
            slugs = ", ".join(session.exec(select(Theme.slug)).all())
            raise ImportError_(f"Unknown theme {theme_slug!r}; choose one of: {slugs}")
        importer = Importer(session, theme, source=source)
        importer.report.invalid = report.invalid
        session.info["search_defer_apply"] = True  # applied in bulk below
        importer.create_authors(record for records in threads.values() for record in records)
        pending = unindexed = 0
        for source_id, records in threads.items():
            added = importer.import_thread(source_id, records)
            pending += added
            unindexed += added
            if progress is not None:
                progress(len(records))
            if pending >= batch_posts:
                session.commit()
                session.expunge_all()
                pending = 0
                if unindexed >= index_batch_posts:
                    apply_index()
                    unindexed = 0
        session.commit()
        apply_index()
        return importer.report
    finally:
        session.close()


def count_records(path: str | Path) -> int:
    return sum(1 for _ in read_records(path))
