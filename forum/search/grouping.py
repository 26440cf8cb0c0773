"""Search results by thread: a thread's documents (its title and opening post, its replies) make
one entry, scored by the best of them; documents of no thread are entries of their own."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A thread's score: its best document's, plus THREAD_SHARE times the next one's, THREAD_SHARE² times
# the third's..., up to THREAD_DEPTH documents: a thread whose title, opening post and several
# replies are about the question ranks above one lone post that matches as well, but a long thread
# can never more than double its best post (1 + 0.5 + 0.25 ... < 2), so many replies that merely
# mention the words cannot carry it. 0.5 was chosen on half of each labelled set's questions and
# checked on the other half (bench/thread_eval.py; 0.3 to 0.7 ranked alike, 0 clearly worse).
THREAD_SHARE = 0.5
THREAD_DEPTH = 8
# A reply counts this much of its score toward its thread: short replies holding every word would
# otherwise outrank the thread whose title and opening post are about the question.
REPLY_WEIGHT = 0.7


@dataclass
class Groups:
    best: np.ndarray  # each group's best document (by score, then the oldest)
    scores: np.ndarray  # the thread score
    sizes: np.ndarray  # how many documents matched in the group
    newest: np.ndarray  # the group's newest matching document's date
    of: np.ndarray  # each matching document's group (an index into the arrays above)


def group_by_thread(ids: np.ndarray, scores: np.ndarray, threads, created) -> Groups:
    """Matches grouped by thread (a document of no thread is a group of its own), each group
    scored by its best document (ties: the lower document number) plus a decaying share of the
    next ones. ``ids`` come sorted."""
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
    if THREAD_SHARE:
        order = order[np.lexsort((-ranked, group_of))]  # best first within each group
        ranked = scores[order]
        rank = np.arange(len(order)) - starts[group_of]
        weight = np.where(rank < THREAD_DEPTH, THREAD_SHARE ** np.minimum(rank, THREAD_DEPTH), 0)
        totals = np.bincount(group_of, weights=ranked * weight, minlength=len(starts))
        best = ids[order[starts]]
    else:
        totals = top
        at_top = np.flatnonzero(ranked == top[group_of])
        firsts = at_top[np.diff(group_of[at_top], prepend=-1) != 0]
        best = ids[order[firsts]]
    newest = np.maximum.reduceat(created[order], starts)
    sizes = np.diff(np.append(starts, len(order)))
    of = np.empty(len(order), dtype=np.int64)
    of[order] = group_of
    return Groups(best=best, scores=totals, sizes=sizes, newest=newest, of=of)
