"""Reading a Whoosh segment's postings and columns into arrays.

Segments never change once Whoosh has written them, so a term's postings in a segment are read
once and kept for every searcher that includes the segment (deletions are applied by the engine,
from the reader of the current generation). They are kept for the whole process within one
budget of bytes (``POSTINGS_BYTES``), the least recently used dropped first: a web worker that
answers years of different questions holds no more than a fresh one plus the budget.

Columns (field lengths, the thread and date of each document) are read straight from a
segment's column file into its slice of an array over the whole index. They are not kept per
segment as well: that would hold every array twice once the index has several segments, and
reading a column is one copy of bytes the operating system has cached.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np
from cachetools import LRUCache
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

EMPTY_IDS = np.zeros(0, dtype=np.int64)
POSTINGS_BYTES = 8 * 1024 * 1024
LENGTH_OF_CODE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


def segment_key(reader) -> tuple:
    """(index directory, segment id) of a segment reader: Whoosh never reuses a segment id."""
    storage = reader.storage()
    return (getattr(storage, "folder", None) or id(storage), reader.segment().segment_id())


def _read_column(reader, name: str, column, stored_type, out: np.ndarray) -> None:
    perdoc = reader._perdoc
    if not perdoc.has_column(name):
        return
    column_reader = perdoc.column_reader(name, column)
    stored = column_reader._count
    raw = column_reader._dbfile.get(column_reader._basepos, stored * column_reader._fixedlen)
    out[:stored] = np.frombuffer(raw, dtype=stored_type)


def read_length_codes(reader, fieldname: str, out: np.ndarray) -> None:
    """Fill ``out`` (uint8, this segment's slice) with Whoosh's one-byte code of each document's
    length in ``fieldname`` (``LENGTH_OF_CODE`` turns codes into lengths: kept as codes, a
    field's lengths take a quarter of the memory); documents without one stay 0."""
    _read_column(reader, _lenfield(fieldname), LENGTHS_COLUMN, np.uint8, out)


def read_numbers(reader, fieldname: str, out: np.ndarray) -> None:
    """Fill ``out`` (this segment's slice, of any integer type wide enough for the values) with
    a numeric column (``created``, ``thread``); documents without a value stay 0."""
    _read_column(reader, fieldname, reader.schema[fieldname].column_type, ">i8", out)


def postings(reader, key: tuple, fieldname: str, btext: bytes, keep: bool = True):
    """(document numbers, term frequencies) of a term in the segment ``key`` read by ``reader``,
    deleted documents included; kept for the next question unless ``keep`` is false."""
    entry = (key, fieldname, btext)
    with _postings_lock:
        found = _postings.get(entry)
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
            _postings[entry] = found
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
