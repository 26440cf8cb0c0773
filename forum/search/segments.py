"""The arrays of one Whoosh segment: field lengths, columns and postings, read once and kept.

Segments never change once Whoosh has written them, so their arrays are shared by every searcher
that includes them (deletions are applied by the engine, from the reader of the current
generation); the most recently used segments are kept. Postings are kept for the whole process
within one budget of bytes (``POSTINGS_BYTES``), the least recently used dropped first: a web
worker that answers years of different questions holds no more than a fresh one plus the budget.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

import numpy as np
from cachetools import LRUCache
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

EMPTY_IDS = np.zeros(0, dtype=np.int64)
POSTINGS_BYTES = 8 * 1024 * 1024
LENGTH_OF_CODE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


class SegmentArrays:
    """Field lengths, columns and postings of one segment (segments are immutable in Whoosh;
    deletions are applied separately, from the reader of the current generation). The arrays
    outlive the readers they were read with, so every method is given the current reader."""

    def __init__(self, key, count: int):
        self.key = key  # (index directory, segment id): Whoosh never reuses a segment id
        self.count = count
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}

    def _raw_column(self, reader, name: str, column, dtype) -> np.ndarray:
        values = np.zeros(self.count, dtype=dtype)
        perdoc = reader._perdoc
        if not perdoc.has_column(name):
            return values
        column_reader = perdoc.column_reader(name, column)
        stored = column_reader._count
        raw = column_reader._dbfile.get(column_reader._basepos, stored * column_reader._fixedlen)
        values[:stored] = np.frombuffer(raw, dtype=dtype)
        return values

    def length_codes(self, reader, fieldname: str) -> np.ndarray:
        """Whoosh's one-byte code of each document's length in ``fieldname`` (``LENGTH_OF_CODE``
        turns codes into lengths: kept as codes, a field's lengths take a quarter of the memory)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = self._raw_column(
                reader, _lenfield(fieldname), LENGTHS_COLUMN, np.uint8
            )
        return found

    def column(self, reader, fieldname: str) -> np.ndarray:
        """A numeric column (``created``) as int64, 0 where a document has none."""
        found = self._columns.get(fieldname)
        if found is None:
            column = reader.schema[fieldname].column_type
            found = self._columns[fieldname] = self._raw_column(
                reader, fieldname, column, ">i8"
            ).astype(np.int64)
        return found

    def postings(
        self, reader, fieldname: str, btext: bytes, keep: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of a term in this segment, deleted ones included;
        kept for the next question unless ``keep`` is false."""
        key = (self.key, fieldname, btext)
        with _postings_lock:
            found = _postings.get(key)
        if found is not None:
            return found
        terms = reader._terms
        if (fieldname, btext) not in terms:
            found = (EMPTY_IDS, np.zeros(0, dtype=np.float32))
        else:
            matcher = terms.matcher(fieldname, btext, reader.schema[fieldname].format)
            ids, weights = [], []
            while matcher.is_active():  # a block (up to 128 postings) at a time
                matcher._read_ids()
                matcher._read_weights()
                ids.extend(matcher._ids)
                weights.extend(matcher._weights)
                matcher._next_block()
            found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32))
        if keep:
            with _postings_lock, contextlib.suppress(ValueError):  # one term over the budget
                _postings[key] = found
        return found


def _postings_bytes(found: tuple[np.ndarray, np.ndarray]) -> int:
    return found[0].nbytes + found[1].nbytes + 200  # and the key and the tuple


_postings: LRUCache = LRUCache(maxsize=POSTINGS_BYTES, getsizeof=_postings_bytes)
_postings_lock = threading.Lock()


def hold_files(searcher) -> None:
    """Open the column files (stored fields, field lengths, numeric columns) of every segment of
    a new searcher now rather than at their first use. Whoosh opens them lazily, and a writer in
    another process that merges segments deletes the merged ones' files right after its commit:
    a searcher of the previous generation then found no stored fields (an error) or no field
    lengths (silently wrong scores). An open file stays readable after it is deleted; whether a
    segment has a column is then answered by the files held, not by the directory."""
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        if getattr(reader, "segment", lambda: None)() is None:  # an empty index
            continue
        perdoc, schema = reader._perdoc, reader.schema
        if perdoc._cached_reader("_stored", STORED_COLUMN) is None:  # every segment has one
            raise FileNotFoundError(f"stored fields of segment {reader.segment().segment_id()}")
        for name in schema.names():
            field = schema[name]
            if field.scorable:
                perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            if field.column_type is not None and perdoc.has_column(name):
                perdoc.column_reader(name, field.column_type)
        held = perdoc._colfiles
        perdoc.has_column = lambda name, held=held: name in held


_segments: OrderedDict = OrderedDict()
_segments_lock = threading.Lock()
SEGMENTS_KEPT = 16


def segment_arrays(reader) -> SegmentArrays:
    """The arrays of a segment reader's segment, shared by every searcher that includes it."""
    storage = reader.storage()
    key = (getattr(storage, "folder", None) or id(storage), reader.segment().segment_id())
    with _segments_lock:
        found = _segments.get(key)
        if found is not None:
            _segments.move_to_end(key)
            return found
        found = _segments[key] = SegmentArrays(key, reader.doc_count_all())
        while len(_segments) > SEGMENTS_KEPT:
            _segments.popitem(last=False)
        return found
