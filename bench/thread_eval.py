"""Thread-level relevance of the search page's ranking: old (post by post, then the first hit of
each thread) against new (one entry per thread by thread score, rarity-weighted coordination).

    python -m bench.thread_eval [corpus ...]

Uses the labels and corpora of ``bench/search_eval.py`` (thread-level nDCG@10 and Recall@10), but
indexes each document with its thread as the forum does (the ``thread`` column), so the grouping
runs exactly as on the search page. Also prints variants of the thread score's share.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from forum.search import engine, grouping
from forum.search.parsing import parse_query
from forum.search.query import build_query

from .search_eval import (
    CORPUS_DIR,
    K,
    build_index,
    corpus_documents,
    load_labels,
    ndcg_at_k,
    recall_at_k,
)

# name -> (grouped, rarity-weighted coordination, thread share, reply weight); grouped None: the
# old page's first 10 posts (a thread listed twice takes two of the ten places)
VARIANTS = {
    "old page: 10 posts as listed": (None, False, None, 1.0),
    "old: posts, plain coordination": (False, False, None, 1.0),
    "posts, rarity coordination": (False, True, None, 1.0),
    "threads, replies 1": (True, True, 0.0, 1.0),
    "new: threads, replies 0.7": (True, True, 0.0, 0.7),
    "threads, replies 0.7, share 0.1": (True, True, 0.1, 0.7),
    "threads, replies 0.7, share 0.5": (True, True, 0.5, 0.7),
    "threads, replies 0.7, plain coord.": (True, False, 0.0, 0.7),
}


@contextmanager
def settings(rarity: bool, share: float | None, reply: float):
    saved = engine.RARITY_WEIGHTED, grouping.THREAD_SHARE, grouping.REPLY_WEIGHT
    engine.RARITY_WEIGHTED, grouping.REPLY_WEIGHT = rarity, reply
    grouping.THREAD_SHARE = saved[1] if share is None else share
    try:
        yield
    finally:
        engine.RARITY_WEIGHTED, grouping.THREAD_SHARE, grouping.REPLY_WEIGHT = saved


def threaded_documents(name: str, *, index_questions: bool):
    numbers: dict[str, int] = {}
    for doc in corpus_documents(name, index_questions=index_questions):
        source = doc["key"].split("|")[0]
        yield {**doc, "thread": numbers.setdefault(source, len(numbers) + 1)}


def ranked(searcher, schema, query_text: str, grouped: bool | None) -> list[str]:
    built = build_query(schema, parse_query(query_text))
    if built.scored is None:
        return []
    limit = K if grouped is not False else K * 5
    found = engine.search(
        searcher, built.scored, limit=limit, mask=built.mask, grouped=bool(grouped)
    )
    threads: list[str] = []
    for docnum in found.top:
        thread = searcher.stored_fields(docnum)["key"].split("|")[0]
        if thread not in threads:
            threads.append(thread)
    return threads[:K]


def evaluate(label_set: dict) -> dict[str, tuple[float, float, float]]:
    out = {}
    with tempfile.TemporaryDirectory(prefix="thread-eval-") as tmp:
        docs = threaded_documents(
            label_set["corpus"], index_questions=label_set.get("index_questions", True)
        )
        ix = build_index(Path(tmp), "decompound", docs)
        with ix.searcher() as searcher:
            for name, (grouped, rarity, share, reply) in VARIANTS.items():
                with settings(rarity, share, reply):
                    engine.view_of(searcher).__init__(searcher)  # fresh per variant
                    ndcgs, recalls, shown = [], [], []
                    for item in label_set["queries"]:
                        ranking = ranked(searcher, ix.schema, item["q"], grouped)
                        relevant = set(item["relevant"])
                        ndcgs.append(ndcg_at_k(ranking, relevant))
                        recalls.append(recall_at_k(ranking, relevant))
                        shown.append(len(ranking))
                count = len(ndcgs)
                out[name] = (sum(ndcgs) / count, sum(recalls) / count, sum(shown) / count)
        ix.close()
    return out


def main(corpora: list[str] | None = None) -> None:
    if not CORPUS_DIR.is_dir():
        print(f"No corpora at {CORPUS_DIR}", file=sys.stderr)
        return
    print(
        f"{'corpus':30} {'queries':>7} {'variant':>36} {'nDCG@10':>8} {'Recall@10':>10} "
        f"{'threads in top 10':>18}"
    )
    for label_set in load_labels():
        corpus = label_set["corpus"]
        if corpora and corpus.split(".")[0] not in corpora and corpus not in corpora:
            continue
        for name, (ndcg, recall, shown) in evaluate(label_set).items():
            print(
                f"{corpus:30} {len(label_set['queries']):>7} {name:>36} "
                f"{ndcg:>8.3f} {recall:>10.3f} {shown:>18.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:] or None)
