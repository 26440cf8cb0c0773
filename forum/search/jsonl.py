"""Reading a JSON Lines corpus for the importer: records, dates, and threads in posting order.

The format is the one of ``shared/corpus/`` (thread_id, post_id, parent_id, kind, title, body, lang,
author, created, tags, ...). ``batches`` cuts the threads into work for the rendering pool and
``render`` (run in a pool process) adds each body's HTML and each thread's title.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..markup import plain_text, render_markdown

TITLE_MAX = 500  # the thread title's column: longer titles (none in the corpora) end in "…"


def read_records(path: str | Path) -> Iterator[dict]:
    """Records of a .jsonl or .jsonl.gz file; lines that are not JSON objects are yielded as
    None."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with (
        opener(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", errors="replace") as text,
    ):
        for line in text:
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                yield None
                continue
            yield record if isinstance(record, dict) else None


def count_records(path: str | Path) -> int:
    return sum(1 for _ in read_records(path))


def parse_date(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (
        moment.replace(tzinfo=None)
        if moment.tzinfo is None
        else moment.astimezone().replace(tzinfo=None)
    )


def group_threads(records: Iterable[dict | None]) -> tuple[dict[str, list[dict]], int]:
    """thread_id -> its records: the opening post first, then replies by date (file order on
    ties); and how many records were not usable."""
    threads: dict[str, list[tuple[int, dict]]] = {}
    invalid = 0
    for position, record in enumerate(records):
        if (
            record is None
            or not record.get("thread_id")
            or not record.get("post_id")
            or not record.get("body")
        ):
            invalid += 1
            continue
        threads.setdefault(str(record["thread_id"]), []).append((position, record))
    ordered = {}
    for thread_id, items in threads.items():
        items.sort(
            key=lambda item: (
                item[1].get("parent_id") is not None,
                item[1].get("created") or "",
                item[0],
            )
        )
        ordered[thread_id] = [record for _, record in items]
    return ordered, invalid


@dataclass
class Source:
    """One thread of the file, with each record's rendered HTML (from the rendering pool)."""

    source_id: str
    records: list[dict]
    html: list[str] = field(default_factory=list)
    title: str = ""


def fill_missing_dates(threads: dict[str, list[dict]], fallback: datetime) -> int:
    """Give every record without a (readable) ``created`` one, in place: a reply the date of the
    post it answers, or of the post before it; a thread without any date the date of the
    nearest dated thread before it in the file (after it, for the first ones), and ``fallback``
    when the file has no dates at all. Returns how many records got a date."""
    filled, previous, undated = 0, None, []
    for records in threads.values():
        dates = [parse_date(record.get("created")) for record in records]
        if not any(dates):
            undated.append(records)
            continue
        start = min(d for d in dates if d)
        for waiting in undated:
            filled += _date_all(waiting, previous or start)
        undated, previous = [], start
        by_id = {str(record["post_id"]): date for record, date in zip(records, dates)}
        last = start
        for record, date in zip(records, dates):
            if date is None:
                date = by_id.get(str(record.get("parent_id"))) or last
                record["created"] = date.isoformat()
                by_id[str(record["post_id"])] = date
                filled += 1
            last = date
    for waiting in undated:
        filled += _date_all(waiting, previous or fallback)
    return filled


def _date_all(records: list[dict], moment: datetime) -> int:
    for record in records:
        record["created"] = moment.isoformat()
    return len(records)


def thread_title(first: dict, source_id: str) -> str:
    """The thread's title, whole (cut with "…" only past the column's length); the start of the
    opening post for a thread that has none."""
    title = (first.get("title") or "").strip() or plain_text(str(first["body"]), limit=90)
    title = " ".join(title.split())
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return title or source_id


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def post_body(record: dict, title: str) -> str:
    """A post's Markdown: a reply with a title of its own (other than the thread's) starts with
    it in bold, as the source showed it."""
    body = str(record["body"])
    own = " ".join(str(record.get("title") or "").split())
    if record.get("parent_id") is None or not own or own.casefold() == title.casefold():
        return body
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", own)
    return f"**{escaped}**\n\n{body}"


def render(items: list[Source]) -> list[Source]:
    """In a pool process: each thread's title, and each post's body (``record["body"]``, with a
    reply's own title) and its HTML."""
    for item in items:
        item.title = thread_title(item.records[0], item.source_id)
        for record in item.records:
            record["body"] = post_body(record, item.title)
        item.html = [render_markdown(record["body"]) for record in item.records]
    return items


def batches(threads: dict[str, list[dict]], size: int) -> Iterator[list[Source]]:
    """The threads in groups of about ``size`` records (a thread is never split)."""
    batch, count = [], 0
    for source_id, records in threads.items():
        batch.append(Source(source_id, records))
        count += len(records)
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch
