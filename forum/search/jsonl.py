"""Reading a JSON Lines corpus for the importer: records, dates, and threads in posting order.

The format is the one of ``shared/corpus/`` (thread_id, post_id, parent_id, kind, title, body, lang,
author, created, tags, ...). ``batches`` cuts the threads into work for the rendering pool and
``render`` (run in a pool process) adds each body's HTML and each thread's title.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..markup import plain_text, render_markdown

TITLE_MAX = 200


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


def render(items: list[Source]) -> list[Source]:
    """In a pool process: the HTML of every body, and the title of a thread that has none."""
    for item in items:
        item.html = [render_markdown(str(record["body"])) for record in item.records]
        first = item.records[0]
        title = (first.get("title") or "").strip() or plain_text(str(first["body"]), limit=90)
        item.title = " ".join(title.split())[:TITLE_MAX] or item.source_id
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
