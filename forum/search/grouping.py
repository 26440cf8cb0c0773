"""Search results by thread: a thread's documents (its title and opening post, its replies) make
one entry, scored by the best of them plus a decaying share of the next ones and coordinated over
the question's words any of them matched; documents of no thread are entries of their own."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A thread's score: its best document's, plus THREAD_SHARE times the next one's, THREAD_SHARE² times
# the third's..., up to THREAD_DEPTH documents: a thread whose title, opening post and replies are
# about the question ranks above one lone post that matches as well, but the shares of a long
# thread never more than double its best post (1 + 0.5 + 0.25 ... < 2), so many replies that merely
# mention the words cannot carry it. 0.5 was chosen on half of each labelled set's questions and
# checked on the other half (bench/thread_eval.py; 0.3 to 0.7 ranked alike, 0 clearly worse).
THREAD_SHARE = 0.5
THREAD_DEPTH = 8
# The coordination bonus of a question (engine.COORDINATION) counts, for a thread, the words any
# of its counted documents matched: a question answered across the title and a reply ("heat pump"
# in the title, "noise" in the answer) is as covered as by one post holding every word, as BM25F
# over a whole thread would have it (the thread's documents' own bonuses are not added up).
THREAD_WORDS = True
# A reply counts this much of its score toward its thread, as a thread's second document does:
# short replies holding every word would otherwise outrank the thread whose title and opening post
# are about the question, and a long thread of chatter would gather a place on every first page.
REPLY_WEIGHT = 0.5


WORD_BITS = 52  # a question's parts tracked per document (a float holds 52 bits exactly)


@dataclass
class Words:
    """A question's matches word by word, for a thread's coordination over all its posts."""

    raw: np.ndarray  # each document's score before the coordination factor
    bits: np.ndarray  # the parts each document matched (bit k: the k-th part matching anything)
    weights: np.ndarray  # each part's weight in the share (they add up to 1)
    coordination: float

    def select(self, keep: np.ndarray) -> Words:
        return Words(self.raw[keep], self.bits[keep], self.weights, self.coordination)

    def weighed(self, weight: np.ndarray) -> Words:
        return Words(self.raw * weight, self.bits, self.weights, self.coordination)

    def factor(self, bits: np.ndarray) -> np.ndarray:
        """The coordination factor of documents (or threads) that matched ``bits``."""
        share = np.zeros(len(bits))
        for k, weight in enumerate(self.weights[:WORD_BITS]):
            share += weight * ((bits >> np.uint64(k)) & np.uint64(1))
        return 1.0 + self.coordination * share


def word_bits(lengths: list[int], inverse: np.ndarray, size: int) -> np.ndarray:
    """Which of the first WORD_BITS parts each document matched, as bits, from the parts' match
    counts and each match's document (an index into ``size``); every part adds a document once,
    so a float sum is exact."""
    bit = np.array([2.0**k if k < WORD_BITS else 0.0 for k in range(len(lengths))])
    return np.bincount(inverse, weights=np.repeat(bit, lengths), minlength=size).astype(np.uint64)


@dataclass
class Groups:
    best: np.ndarray  # each group's best document (by score, then the oldest)
    scores: np.ndarray  # the thread score
    sizes: np.ndarray  # how many documents matched in the group
    newest: np.ndarray  # the group's newest matching document's date
    of: np.ndarray  # each matching document's group (an index into the arrays above)


def group_by_thread(
    ids: np.ndarray,
    scores: np.ndarray,
    threads,
    created,
    words: Words | None = None,
    limit: int | None = None,
) -> Groups:
    """Matches grouped by thread (a document of no thread is a group of its own), each group
    scored by its best document (ties: the lower document number) plus a decaying share of the
    next ones. With ``words`` (a question), the shares add the documents' scores before their
    coordination factor, and the thread's factor counts the words any of those documents matched.
    ``limit``: only the first ``limit`` groups by score need their exact score (the others keep
    their best document's, below those). ``ids`` come sorted."""
    keys = np.where(threads > 0, threads, -(ids + 1))
    # by group, documents in order within each (a thread's documents mostly come in runs, which
    # a stable sort merges fast; sorting all matches by score would cost several times more)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(first)
    group_of = np.cumsum(first) - 1
    ranked = scores[order]
    if not len(starts):
        empty = np.zeros(0, dtype=np.int64)
        return Groups(best=empty, scores=np.zeros(0), sizes=empty, newest=empty, of=empty)
    top = np.maximum.reduceat(ranked, starts)
    at_top = np.flatnonzero(ranked == top[group_of])
    firsts = at_top[np.diff(group_of[at_top], prepend=-1) != 0]
    best = ids[order[firsts]]
    totals = top
    sizes = np.diff(np.append(starts, len(order)))
    if THREAD_SHARE and limit != 0:
        others = ranked.copy()
        others[firsts] = -np.inf
        bound = _bounds(top, np.maximum.reduceat(others, starts), order[firsts], words)
        totals = _thread_scores(scores, order, starts, top, bound, sizes, words, limit)
    newest = np.maximum.reduceat(created[order], starts)
    of = np.empty(len(order), dtype=np.int64)
    of[order] = group_of
    return Groups(best=best, scores=totals, sizes=sizes, newest=newest, of=of)


def _bounds(top, second, best_docs, words: Words | None) -> np.ndarray:
    """The most each group's thread score can be: its best document's score (before the
    coordination factor, times the largest factor, with ``words``) plus every share of the next
    ones at the second best document's score."""
    rest = np.maximum(second, 0) * THREAD_SHARE / (1 - THREAD_SHARE)
    if words is None or not THREAD_WORDS:
        return top + rest
    return (1 + words.coordination) * (words.raw[best_docs] + rest)


def _thread_scores(scores, order, starts, top, bound, sizes, words: Words | None, limit):
    """The thread score of the groups that can be among the first ``limit`` (every group when
    None); the others keep ``top``, as a group of one document does (its score is its own). A
    thread scores at least its best document (``top``) and at most ``bound``: so the ``limit``
    groups with the best documents are scored first, then only those whose bound reaches the
    lowest of those scores (a few hundred of 100,000 matches)."""
    totals = top.astype(np.float64)
    multi = sizes > 1
    if limit is None or limit >= len(top):
        _score_groups(scores, order, starts, sizes, np.flatnonzero(multi), words, totals)
        return totals
    first = np.argpartition(-top, limit - 1)[:limit]
    _score_groups(scores, order, starts, sizes, first[multi[first]], words, totals)
    rest = multi & (bound >= totals[first].min())
    rest[first] = False
    _score_groups(scores, order, starts, sizes, np.flatnonzero(rest), words, totals)
    return totals


def _score_groups(scores, order, starts, sizes, chosen, words: Words | None, totals) -> None:
    """Writes the thread score of the ``chosen`` groups into ``totals``."""
    if not len(chosen):
        return
    lengths = sizes[chosen]
    # the chosen groups' documents: each group's run of positions in ``order``
    offsets = np.repeat(starts[chosen] - np.cumsum(lengths) + lengths, lengths)
    docs = order[offsets + np.arange(len(offsets))]
    groups = np.repeat(chosen, lengths)
    within = np.lexsort((-scores[docs], groups))  # best first within each group
    docs, groups = docs[within], groups[within]
    new = np.ones(len(groups), dtype=bool)
    new[1:] = groups[1:] != groups[:-1]
    heads = np.flatnonzero(new)
    rank = np.arange(len(groups)) - heads[np.cumsum(new) - 1]
    counted = rank < THREAD_DEPTH
    docs, groups, rank = docs[counted], groups[counted], rank[counted]
    weight = THREAD_SHARE ** rank.astype(np.float64)
    heads = np.flatnonzero(np.diff(groups, prepend=-1) != 0)
    if words is None or not THREAD_WORDS:
        summed = np.add.reduceat(scores[docs] * weight, heads)
    else:
        summed = np.add.reduceat(words.raw[docs] * weight, heads)
        summed = summed * words.factor(np.bitwise_or.reduceat(words.bits[docs], heads))
    totals[groups[heads]] = summed
