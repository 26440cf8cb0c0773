"""Query expansion learned from the forum's own text, as measured by bench/expansion_eval.py.

Not used by the search page: no method below ranked better on held-out questions (README,
*Search*). Kept here, with its measurement, for the next attempt.

A question and the thread that answers it often use different words ("payback time" and "return
on investment"). The words a forum uses together with a question's rarer words, in the same
threads, far more often than elsewhere, are likely its words for the same subject. The second
pass adds a few of them as optional terms of bounded weight: they reorder what the question found
and may bring in a thread that uses only the forum's words; they are never required.

How (``associated_terms``): the candidates are the words of the first pass's best threads (the
text readers can see, passed in by the caller); each is scored against each question word by how
much more often threads with the question word have it than threads in general ("significant
terms", the JLH score: (fg - bg) · fg / bg), over the whole index's postings grouped by thread.
Words of too many threads say nothing about a subject and are left out, as are the question's own
terms. ``feedback_terms`` is the classic alternative (RM3-style pseudo-relevance feedback: the
best threads' words by weight and rarity).

A precise question is not expanded (``applies``): a quoted phrase, a prefix, exclusions, only
filters; the grid also tries leaving out a first pass whose best thread stands far above the rest
(``precise``). The defaults below are the association setting chosen on the tuning halves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from forum.search import engine
from forum.search.analysis import PART_MARK
from forum.search.parsing import ParsedQuery

FEEDBACK_THREADS = 10  # the first pass's best threads whose words are the candidates
EXPANSION_TERMS = 4  # terms added at most
EXPANSION_WEIGHT = 0.5  # the added terms together (each term's BM25 weighed by its share)
MIN_SHARED = 2  # threads a candidate must share with a question word
MAX_SHARE = 0.1  # a word in more than this share of the threads says nothing about a subject
MAX_CANDIDATES = 80  # candidates scored at most (the most frequent in the best threads)
TEXT_CHARS = 4000  # of each document: enough for its subject, bounded work on long ones
CLEAR_LEAD = 2.5  # the best thread scoring this many times the next: the question was precise
TITLE_WEIGHT = 2.5  # as the question's own words (query.TITLE_BOOST)


@dataclass(frozen=True)
class Expansion:
    lang: str
    term: str  # an index term of ``body_<lang>`` and ``title_<lang>``
    weight: float  # share of the expansion (they add up to 1)


def applies(parsed: ParsedQuery) -> bool:
    """Plain words only: a phrase, prefix or exclusion says exactly what is wanted."""
    return bool(parsed.words) and not (
        parsed.phrases or parsed.prefixes or parsed.excluded_words or parsed.excluded_phrases
    )


def precise(scores: list[float]) -> bool:
    """The first pass's best thread stands far above the next: the question found its answer."""
    return len(scores) < 2 or scores[0] >= CLEAR_LEAD * max(scores[1], 1e-9)


def _candidates(schema, documents: list[tuple[str, str]], known: dict[str, set[str]]):
    """(lang, term) -> occurrences in the documents, the question's own terms left out."""
    counts: dict[tuple[str, str], int] = {}
    for text, lang in documents:
        analyzer = schema[f"body_{lang}"].analyzer if f"body_{lang}" in schema else None
        if analyzer is None or not hasattr(analyzer, "positions"):
            continue
        for term, places in analyzer.positions(text[:TEXT_CHARS]).items():
            if term.startswith(PART_MARK) or len(term) < 3 or term.isdigit():
                continue
            if term not in known.get(lang, ()):
                counts[(lang, term)] = counts.get((lang, term), 0) + len(places)
    return counts


class _Threads:
    """Which threads (a thread's documents as one; any other document alone) hold a term."""

    def __init__(self, searcher):
        self.view = engine.view_of(searcher)
        self.schema = searcher.schema
        threads = self.view.threads()
        self.keys = np.where(threads > 0, threads, -np.arange(1, len(threads) + 1))
        alive = self.keys[self.view.alive]
        self.total = max(1, len(np.unique(alive)))

    def of(self, lang: str, term: str) -> np.ndarray:
        parts = []
        for name in (f"title_{lang}", f"body_{lang}"):
            if name in self.schema:
                parts.append(self.view.postings(name, term.encode("utf-8"))[0])
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return np.unique(self.keys[ids])


def threads_of(searcher) -> _Threads:
    """Made once per searcher (it lives until the index changes)."""
    found = getattr(searcher, "_forum_threads", None)
    if found is None:
        found = searcher._forum_threads = _Threads(searcher)
    return found


def associated_terms(
    searcher,
    documents: list[tuple[str, str]],
    known: dict[str, set[str]],
    *,
    limit: int = EXPANSION_TERMS,
) -> list[Expansion]:
    """The terms of ``documents`` (text, language) that go with the question's terms
    (``known``: language -> index terms) in the forum's threads, best first."""
    counts = _candidates(searcher.schema, documents, known)
    if not counts:
        return []
    index = threads_of(searcher)
    ceiling = MAX_SHARE * index.total
    anchors = []
    for lang, terms in known.items():
        for term in sorted(terms):
            if term.startswith(PART_MARK):
                continue
            holding = index.of(lang, term)
            if MIN_SHARED <= len(holding) <= ceiling:
                anchors.append((lang, holding))
    if not anchors:
        return []
    best = sorted(counts, key=lambda key: (-counts[key], key))[:MAX_CANDIDATES]
    scores: dict[tuple[str, str], float] = {}
    for lang, term in best:
        holding = index.of(lang, term)
        if not MIN_SHARED <= len(holding) <= ceiling:
            continue
        background = len(holding) / index.total
        for anchor_lang, anchor in anchors:
            if anchor_lang != lang:
                continue
            shared = len(np.intersect1d(anchor, holding, assume_unique=True))
            if shared < MIN_SHARED:
                continue
            foreground = shared / len(anchor)
            score = (foreground - background) * foreground / background
            if score > scores.get((lang, term), 0.0):
                scores[(lang, term)] = score
    return _shares(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit])


def feedback_terms(
    searcher,
    documents: list[tuple[str, str, float]],
    known: dict[str, set[str]],
    *,
    limit: int = EXPANSION_TERMS,
) -> list[Expansion]:
    """RM3-style feedback: the terms of ``documents`` (text, language,
    first-pass score) by each document's share of the score, the term's share of the document
    and its rarity, kept when two of the documents have it."""
    schema = searcher.schema
    total = max(1, searcher.doc_count())
    mass = sum(max(score, 0.0) for *_, score in documents) or 1.0
    weights: dict[tuple[str, str], float] = {}
    holders: dict[tuple[str, str], int] = {}
    for text, lang, score in documents:
        counts = _candidates(schema, [(text, lang)], known)
        length = sum(counts.values()) or 1
        for key, count in counts.items():
            weights[key] = weights.get(key, 0.0) + max(score, 0.0) / mass * count / length
            holders[key] = holders.get(key, 0) + 1
    scores = {}
    for (lang, term), weight in weights.items():
        held = searcher.doc_frequency(f"body_{lang}", term)
        if holders[(lang, term)] >= MIN_SHARED and held <= MAX_SHARE * total:
            scores[(lang, term)] = weight * math.log(1 + total / (held + 1))
    return _shares(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _shares(scored: list[tuple[tuple[str, str], float]]) -> list[Expansion]:
    mass = sum(score for _, score in scored) or 1.0
    return [Expansion(lang, term, score / mass) for (lang, term), score in scored]


def expanded_query(scored: Q.Query, terms: list[Expansion], weight: float = EXPANSION_WEIGHT):
    """``scored`` with the expansion terms as optional alternatives of bounded weight."""
    if not terms:
        return scored
    subs = []
    for item in terms:
        subs.append(Q.Term(f"title_{item.lang}", item.term, boost=TITLE_WEIGHT * item.weight))
        subs.append(Q.Term(f"body_{item.lang}", item.term, boost=item.weight))
    return Q.Or([scored, Q.Or(subs, boost=weight)])
