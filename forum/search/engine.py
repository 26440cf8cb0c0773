"""Evaluating search queries over Whoosh's posting lists with NumPy arrays.

Whoosh stores the index and provides the terms, postings, field lengths and statistics; this module
evaluates the query trees that :mod:`forum.search.query` builds. Whoosh's own matchers walk every
matching document through a tree of Python objects (about 100 µs per document for a question of
five words over four fields), and the forum needs every match anyway for the exact total and the
facets, so block-skipping cannot help. Here each term's postings are read once into arrays
(and kept per segment, which never changes once written) and the query is combined with array
operations:

- ``Term``: BM25 as Whoosh computes it (``B`` 0.75, ``K1`` 1.2, Whoosh's idf and its byte-coded
  field lengths; titles with ``B`` 0.3), times the term's boost;
- ``Or``: the union, scores added; with ``scale`` (the top level of a question) the sum is
  multiplied by a coordination factor that rises with the share of the question's parts matched
  (which parts each document matched is kept, for the thread score);
- ``And``: the intersection, scores added;
- ``Prefix`` and other multi-term queries: the union of their terms, each match scoring the boost;
- ``NumericRange``: its tiers of terms;
- anything else (phrases): Whoosh's matcher, one document at a time.

Deleted documents (Whoosh keeps them in a segment until it is merged) never match. Facet counts
use one value code (or SDG bit set) per document. The search page groups the matches by thread
(:mod:`forum.search.grouping`): a thread is one entry, scored from its best documents, and facets
count entries. :mod:`forum.search.segments` reads (and keeps) the postings and reads the columns.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as Q

from . import grouping, segments
from .segments import EMPTY_IDS, LENGTH_OF_CODE

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
# Titles are short and vary little in length: a longer title is no sign of a wordier text, so
# their length counts less (B 0.3 ranked better than 0.75 on the labelled sets, 0 worse).
FIELD_BM25: dict[str, tuple[float, float]] = {"title": (0.3, K1)}  # field kind -> (B, K1)
# A document matching a share s of a question's parts scores its sum times (1 + COORDINATION * s).
# 0.5 ranked best on the labelled queries (bench/search_eval.py): 0.25, 1, 2, s and s² were tried.
COORDINATION = 0.5
# The share is weighed by each part's rarity, BM25's log(1 + (N - n + 0.5) / (n + 0.5)) for a part
# n of N documents match, so the one rare word of a question counts for more than two common ones
# (a word in most documents counts next to nothing); False: every part counts 1.
RARITY_WEIGHTED = True
THREAD_COLUMN = "thread"
SINGLE_FACETS = ("kind", "theme", "lang")
SDG_FIELD = "sdg"
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


# -- per searcher: the whole index as one array space ----------------------------------------------
@dataclass
class Matches:
    ids: np.ndarray  # global document numbers, sorted, unique
    scores: np.ndarray
    # (a question) each document's score before the coordination factor, the question's parts it
    # matched (bit k: the k-th part matching anything) and those parts' weights
    words: grouping.Words | None = None

    def __len__(self) -> int:
        return len(self.ids)


class IndexView:
    """One searcher's documents as global arrays (segments side by side at their offsets)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.total = searcher.doc_count_all()
        self.leaves = []  # (segment key, segment reader, offset)
        self.alive = np.ones(self.total, dtype=bool)
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if getattr(reader, "segment", lambda: None)() is None:  # an empty index
                continue
            self.leaves.append((segments.segment_key(reader), reader, offset))
            if reader.has_deletions():
                deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
                self.alive[deleted + offset] = False
        self.alive_count = int(self.alive.sum())
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[tuple, np.ndarray] = {}  # (field, dtype) -> array
        self._avg: dict[str, float] = {}
        self._facets: dict | None = None
        self._filters: OrderedDict = OrderedDict()

    # -- arrays over the whole index --------------------------------------------------------------
    def _filled(self, dtype, read) -> np.ndarray:
        """An array over the index, each segment's slice filled by ``read(reader, slice)``."""
        values = np.zeros(self.total, dtype=dtype)
        for _, reader, offset in self.leaves:
            read(reader, values[offset : offset + reader.doc_count_all()])
        return values

    def length_codes(self, fieldname: str) -> np.ndarray:
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = self._filled(
                np.uint8, lambda r, out: segments.read_length_codes(r, fieldname, out)
            )
        return found

    def column(self, fieldname: str, dtype=np.int64) -> np.ndarray:
        """A numeric column over the index, 0 where a document has none or the schema no such
        field."""
        key = (fieldname, np.dtype(dtype))
        found = self._columns.get(key)
        if found is None:
            if fieldname in self.searcher.schema:
                found = self._filled(dtype, lambda r, out: segments.read_numbers(r, fieldname, out))
            else:
                found = np.zeros(self.total, dtype=dtype)
            self._columns[key] = found
        return found

    def threads(self) -> np.ndarray:
        """Each document's thread id (a thread's and its replies'), 0 for other documents."""
        return self.column(THREAD_COLUMN, np.int32)  # ids of the database's 32-bit keys

    def postings(
        self, fieldname: str, btext: bytes, keep: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = [], []
        for key, reader, offset in self.leaves:
            seg_ids, seg_weights = segments.postings(reader, key, fieldname, btext, keep)
            if len(seg_ids):
                ids.append(seg_ids + offset if offset else seg_ids)
                weights.append(seg_weights)
        if not ids:
            return EMPTY_IDS, np.zeros(0, dtype=np.float32)
        ids, weights = (
            (ids[0], weights[0])
            if len(ids) == 1
            else (np.concatenate(ids), np.concatenate(weights))
        )
        keep = self.alive[ids]
        return ids[keep], weights[keep]

    # -- evaluating queries -----------------------------------------------------------------------
    def evaluate(self, query) -> Matches:
        if isinstance(query, Q.Term):
            return self._term(query)
        if isinstance(query, Q.Or) and not query.minmatch:
            return self._or(query)
        if isinstance(query, Q.And):
            return self._and(query)
        if isinstance(query, Q.Every):
            ids = np.flatnonzero(self.alive).astype(np.int64)
            return Matches(ids, np.full(len(ids), query.boost, dtype=np.float64))
        if isinstance(query, Q.MultiTerm) and getattr(query, "constantscore", False):
            return self._constant(query)
        if isinstance(query, Q.NumericRange):  # tiers of terms and term ranges
            return self.evaluate(query._compile_query(self.searcher.reader()))
        return self._whoosh(query)

    def _term(self, query: Q.Term) -> Matches:
        schema = self.searcher.schema
        if query.fieldname not in schema:
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        field = schema[query.fieldname]
        try:  # a numeric range's tiers come as bytes already
            btext = query.text if isinstance(query.text, bytes) else field.to_bytes(query.text)
        except ValueError:
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        ids, tf = self.postings(query.fieldname, btext)
        if not len(ids):
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        if not field.scorable:
            return Matches(ids, np.full(len(ids), query.boost, dtype=np.float64))
        avg = self._avg.get(query.fieldname)
        if avg is None:
            avg = self._avg[query.fieldname] = (
                self.searcher.avg_field_length(query.fieldname) or 1.0
            )
        idf = self.searcher.idf(query.fieldname, query.text)
        lengths = LENGTH_OF_CODE[self.length_codes(query.fieldname)[ids]]
        b, k1 = FIELD_BM25.get(query.fieldname.split("_")[0], (B, K1))
        scores = idf * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avg))
        return Matches(ids, scores.astype(np.float64) * query.boost)

    def _or(self, query: Q.Or) -> Matches:
        parts = [m for m in (self.evaluate(sub) for sub in query.subqueries) if len(m)]
        if not parts:
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        if len(parts) == 1 and not query.scale:
            ids, scores = parts[0].ids, parts[0].scores
        else:
            ids, inverse = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
            scores = np.bincount(
                inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(ids)
            )
            if query.scale:
                weights, lengths = self._weights(parts, query), [len(p) for p in parts]
                share = np.bincount(inverse, np.repeat(weights, lengths), minlength=len(ids))
                bits = grouping.word_bits(lengths, inverse, len(ids))
                words = grouping.Words(scores * query.boost, bits, weights, COORDINATION)
                return Matches(ids, words.raw * (1.0 + COORDINATION * share), words)
        return Matches(ids, scores * query.boost)

    def _weights(self, parts: list[Matches], query: Q.Or) -> np.ndarray:
        """The weight of each part matching anything in a question's share: its rarity, or 1."""
        if not RARITY_WEIGHTED:
            return np.ones(len(parts)) / len(query.subqueries)
        n = self.alive_count
        weights = np.array([np.log1p((n - len(p) + 0.5) / (len(p) + 0.5)) for p in parts])
        return weights / weights.sum()

    def _and(self, query: Q.And) -> Matches:
        ids, scores = None, None
        for sub in query.subqueries:
            part = self.evaluate(sub)
            if ids is None:
                ids, scores = part.ids, part.scores
            else:
                common, left, right = np.intersect1d(
                    ids, part.ids, assume_unique=True, return_indices=True
                )
                ids, scores = common, scores[left] + part.scores[right]
            if not len(ids):
                return Matches(EMPTY_IDS, _EMPTY_SCORES)
        if ids is None:
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        return Matches(ids, scores * query.boost)

    def _constant(self, query) -> Matches:
        """A multi-term query (prefix, range of terms) scoring its boost for each match."""
        reader = self.searcher.reader()
        parts = [self.postings(query.fieldname, btext)[0] for btext in query._btexts(reader)]
        parts = [p for p in parts if len(p)]
        ids = np.unique(np.concatenate(parts)) if parts else EMPTY_IDS
        return Matches(ids, np.full(len(ids), query.boost, dtype=np.float64))

    def _whoosh(self, query) -> Matches:
        """Whoosh's own matcher (phrases, numeric ranges): document by document."""
        matcher = query.matcher(self.searcher)
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        if not ids:
            return Matches(EMPTY_IDS, _EMPTY_SCORES)
        ids = np.array(ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        ids, scores = ids[order], np.array(scores, dtype=np.float64)[order]
        keep = self.alive[ids]
        return Matches(ids[keep], scores[keep])

    def docset(self, query) -> np.ndarray:
        """A boolean array of the documents ``query`` matches (filters; the last ones are kept)."""
        key = repr(query)
        found = self._filters.get(key)
        if found is None:
            found = np.zeros(self.total, dtype=bool)
            found[self.evaluate(query).ids] = True
            self._filters[key] = found
            if len(self._filters) > 32:
                self._filters.popitem(last=False)
        return found

    def is_reply(self) -> np.ndarray:
        """Which documents are replies in a thread (not a thread's own title and opening post)."""
        values, codes = self._facet_codes()["kind"]
        thread = values.index("thread") if "thread" in values else -2
        return (self.threads() > 0) & (codes != thread)

    # -- facets -----------------------------------------------------------------------------------
    def _facet_codes(self) -> dict:
        """field -> (values, per-document code: index into values, -1 for none); and for the
        goals, (values, per-document bit set: bit k for the k-th value)."""
        if self._facets is None:
            reader = self.searcher.reader()
            facets = {}
            for name in SINGLE_FACETS:
                values = (
                    [v for v in reader.field_terms(name)] if name in self.searcher.schema else []
                )
                # the narrowest type that holds -1 and every value's number plus one
                codes = np.full(self.total, -1, dtype=np.min_scalar_type(-len(values) - 1))
                for number, value in enumerate(values):
                    codes[self._facet_ids(name, value)] = number
                facets[name] = (values, codes)
            goals = (
                [v for v in reader.field_terms(SDG_FIELD)]
                if SDG_FIELD in self.searcher.schema
                else []
            )
            bits = np.zeros(self.total, dtype=np.uint32)  # the 17 goals, one bit each
            for number, value in enumerate(goals):
                bits[self._facet_ids(SDG_FIELD, value)] |= np.uint32(1 << number)
            facets[SDG_FIELD] = (goals, bits)
            self._facets = facets
        return self._facets

    def _facet_ids(self, fieldname: str, value: str) -> np.ndarray:
        """The live documents with a facet value: read once per searcher, so not kept."""
        btext = self.searcher.schema[fieldname].to_bytes(value)
        return self.postings(fieldname, btext, keep=False)[0]

    def facet_counts(
        self, ids: np.ndarray, groups: np.ndarray | None = None
    ) -> dict[str, dict[str, int]]:
        """field -> value -> how many of ``ids`` have it (values with none left out).
        ``groups`` (each id's entry, when several ids make one entry): how many entries have a
        document with the value, a thread's replies counting as the thread."""
        facets = self._facet_codes()
        counts: dict[str, dict[str, int]] = {}
        entries = int(groups.max()) + 1 if groups is not None and len(groups) else 0
        for name in SINGLE_FACETS:
            values, codes = facets[name]
            chosen = codes[ids]
            if groups is not None and len(values):
                if name == "kind" and "thread" in values:
                    chosen = np.where(self.threads()[ids] > 0, values.index("thread"), chosen)
                # which entry has which value (no sort: a table of entries by values)
                width = len(values) + 1
                seen = np.bincount(groups * width + (chosen + 1), minlength=entries * width)
                tally = (seen.reshape(entries, width)[:, 1:] > 0).sum(axis=0)
            elif len(values):
                tally = np.bincount(chosen[chosen >= 0], minlength=len(values))
            else:
                tally = []
            counts[name] = {value: int(n) for value, n in zip(values, tally) if n}
        goals, bits = facets[SDG_FIELD]
        chosen_bits = bits[ids]
        tally = {}
        for number, value in enumerate(goals):
            has = (chosen_bits & np.uint32(1 << number)) != 0
            if groups is not None:
                tally[value] = int(np.count_nonzero(np.bincount(groups[has], minlength=entries)))
            else:
                tally[value] = int(np.count_nonzero(has))
        counts[SDG_FIELD] = {value: n for value, n in tally.items() if n}
        return counts


def view_of(searcher) -> IndexView:
    """The searcher's view (made once per searcher: a searcher lives until the index changes)."""
    view = getattr(searcher, "_forum_view", None)
    if view is None:
        view = searcher._forum_view = IndexView(searcher)
    return view


@dataclass
class Outcome:
    top: list[int]  # global document numbers of the first ``limit`` results, best first
    matched: np.ndarray  # every matching document number
    entries: int  # how many results there are: matching documents, or (grouped) threads and others
    groups: np.ndarray | None = None  # (grouped) each matching document's entry
    more: dict[int, int] = field(default_factory=dict)  # (grouped) top document -> other matches


def _best_first(ids: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` best scores (ties: the lower document number first)."""
    if len(ids) > limit:
        best = np.argpartition(-scores, limit - 1)[:limit]
        cutoff = scores[best].min()
        candidates = np.flatnonzero(scores >= cutoff)  # keep every tie at the cut-off
    else:
        candidates = np.arange(len(ids))
    return candidates[np.lexsort((ids[candidates], -scores[candidates]))][:limit]


def search(
    searcher,
    scored,
    *,
    limit: int,
    restrict=None,
    mask=None,
    newest: bool = False,
    grouped: bool = False,
) -> Outcome:
    """Every document matching ``scored`` (within ``restrict``, outside ``mask``), and the first
    ``limit`` of them by score (ties: the older document first) or, with ``newest``, by date.
    ``grouped``: the first ``limit`` threads (and other documents) by thread score or by their
    newest match, each as its best document."""
    view = view_of(searcher)
    found = view.evaluate(scored)
    ids, scores = found.ids, found.scores
    keep = None
    if restrict is not None:
        keep = view.docset(restrict)[ids]
    if mask is not None:
        outside = ~view.docset(mask)[ids]
        keep = outside if keep is None else keep & outside
    words = found.words
    if keep is not None:
        ids, scores = ids[keep], scores[keep]
        words = words.select(keep) if words is not None else None
    if grouped:
        created, threads = view.column("created"), view.threads()[ids]
        if grouping.REPLY_WEIGHT != 1.0:
            weight = np.where(view.is_reply()[ids], grouping.REPLY_WEIGHT, 1.0)
            scores = scores * weight
            words = words.weighed(weight) if words is not None else None
        groups = grouping.group_by_thread(
            ids, scores, threads, created[ids], words, limit=0 if newest else limit
        )
        if newest:
            order = np.lexsort((-groups.best, -groups.newest))[:limit]
        else:
            order = _best_first(groups.best, groups.scores, limit)
        top = [int(i) for i in groups.best[order]]
        more = {int(i): int(n) - 1 for i, n in zip(groups.best[order], groups.sizes[order])}
        return Outcome(top=top, matched=ids, entries=len(groups.best), groups=groups.of, more=more)
    if newest:
        order = np.lexsort((-ids, -view.column("created")[ids]))[:limit]
    else:
        order = _best_first(ids, scores, limit)
    return Outcome(top=[int(i) for i in ids[order]], matched=ids, entries=len(ids))


def count(searcher, scored, *, restrict=None) -> int:
    return len(search(searcher, scored, limit=1, restrict=restrict).matched)
