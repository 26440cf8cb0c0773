"""Thread-level relevance of the search page's ranking: old (post by post, then the first hit of
each thread) against new (one entry per thread by thread score: its best post plus a decaying
share of the next ones, coordinated over the words any of them matched; a Swedish query word also
finds its family's words, words common in Swedish at large weigh less, and a query compound's
parts count alone in a body too).

    python -m bench.thread_eval [corpus ...] [--chatter 40]

Uses the labels and corpora of ``bench/search_eval.py`` (thread-level nDCG@10 and Recall@10), but
indexes each document with its thread as the forum does (the ``thread`` column), so the grouping
runs exactly as on the search page. Also prints the steps between them, each question set's two
halves (A: even-numbered questions, where settings were chosen; B: odd, the check). ``--chatter``
adds long threads of chatter to the corpora with replies (see ``threaded_documents``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from forum.search import engine, grouping, query, swedish
from forum.search.documents import text_fields
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

# name -> (grouped, settings); grouped None: the old page's first 10 posts (a thread listed twice
# takes two of the ten places), False: posts collapsed to their threads. Settings not named keep
# the current values.
# no families, no weights, no compound part alone in a body
WORDS_BEFORE = {
    "query.FAMILY_WEIGHT": 0.0,
    "swedish.GENERAL_ZIPF": 9.0,
    "query.BODY_PART_WEIGHT": 0.0,
}
OLD = {
    **WORDS_BEFORE,
    "engine.RARITY_WEIGHTED": False,
    "engine.FIELD_BM25": {},
    "grouping.REPLY_WEIGHT": 1.0,
    "grouping.THREAD_SHARE": 0.0,
}
MAIN = {  # one entry per thread by its best post (replies at 0.7), before the thread score
    **WORDS_BEFORE,
    "engine.FIELD_BM25": {},
    "grouping.REPLY_WEIGHT": 0.7,
    "grouping.THREAD_SHARE": 0.0,
}
VARIANTS = {
    "old page: 10 posts as listed": (None, OLD),
    "old: posts, plain coordination": (False, OLD),
    "threads by best post (main)": (True, MAIN),
    "+ thread share": (
        True,
        {**MAIN, "grouping.THREAD_SHARE": 0.5, "grouping.THREAD_WORDS": False},
    ),
    "+ thread words": (True, {**MAIN, "grouping.THREAD_SHARE": 0.5}),
    "+ replies 0.5": (True, {**WORDS_BEFORE, "engine.FIELD_BM25": {}}),
    "+ title length counts less": (True, WORDS_BEFORE),
    "+ word families": (True, {"swedish.GENERAL_ZIPF": 9.0, "query.BODY_PART_WEIGHT": 0.0}),
    "+ common words weigh less": (True, {"query.BODY_PART_WEIGHT": 0.0}),
    "new: + a part alone in a body": (True, {}),
    "new, no word families": (True, {"query.FAMILY_WEIGHT": 0.0}),
    "new, replies 0.7": (True, {"grouping.REPLY_WEIGHT": 0.7}),
    "new, plain coordination": (True, {"engine.RARITY_WEIGHTED": False}),
}
MODULES = {"engine": engine, "grouping": grouping, "query": query, "swedish": swedish}
CHATTER, CHATTER_REPLIES = "chatter-", 60


@contextmanager
def settings(values: dict):
    names = [name.split(".") for name in values]
    saved = [getattr(MODULES[module], attribute) for module, attribute in names]
    for (module, attribute), value in zip(names, values.values()):
        setattr(MODULES[module], attribute, value)
    try:
        yield
    finally:
        for (module, attribute), value in zip(names, saved):
            setattr(MODULES[module], attribute, value)


def threaded_documents(name: str, *, index_questions: bool, chatter: int = 0):
    """The corpus's documents with their thread numbers; ``chatter``: that many long threads of
    chatter added ("General chat", 60 replies copied from random replies of the corpus), as a
    big forum has, which must not take places from the threads about a question."""
    numbers: dict[str, int] = {}
    replies = []
    for doc in corpus_documents(name, index_questions=index_questions):
        source = doc["key"].split("|")[0]
        if doc["kind"] == "post":
            replies.append(doc)
        yield {**doc, "thread": numbers.setdefault(source, len(numbers) + 1)}
    rng = random.Random(7)
    for n in range(chatter if len(replies) >= CHATTER_REPLIES else 0):
        thread, key = len(numbers) + 1 + n, f"{CHATTER}{n}"
        opening = text_fields("en", f"General chat {n}", "Talk about anything here.")
        yield {"key": f"{key}|thread:{key}", "kind": "thread", "thread": thread, **opening}
        for reply in rng.sample(replies, CHATTER_REPLIES):
            yield {**reply, "key": f"{key}|{reply['key'].split('|')[1]}", "thread": thread}


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


def evaluate(label_set: dict, chatter: int = 0) -> dict[str, tuple]:
    """variant -> mean nDCG@10 and Recall@10 over every question, over the even-numbered ones
    (half A, where the thread score's settings were chosen) and the odd ones (half B, the check),
    the mean number of threads in the top 10 and of chatter threads among them."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="thread-eval-") as tmp:
        docs = threaded_documents(
            label_set["corpus"],
            index_questions=label_set.get("index_questions", True),
            chatter=chatter,
        )
        ix = build_index(Path(tmp), "decompound", docs)
        with ix.searcher() as searcher:
            for name, (grouped, values) in VARIANTS.items():
                with settings(values):
                    engine.view_of(searcher).__init__(searcher)  # fresh per variant
                    ndcgs, recalls, shown, noise = [], [], [], []
                    for item in label_set["queries"]:
                        ranking = ranked(searcher, ix.schema, item["q"], grouped)
                        relevant = set(item["relevant"])
                        ndcgs.append(ndcg_at_k(ranking, relevant))
                        recalls.append(recall_at_k(ranking, relevant))
                        shown.append(len(ranking))
                        noise.append(sum(t.startswith(CHATTER) for t in ranking))
                out[name] = tuple(
                    sum(values) / max(1, len(values))
                    for values in (
                        ndcgs,
                        recalls,
                        ndcgs[0::2],
                        recalls[0::2],
                        ndcgs[1::2],
                        recalls[1::2],
                        shown,
                        noise,
                    )
                )
        ix.close()
    return out


def main(corpora: list[str] | None = None, chatter: int = 0) -> None:
    if not CORPUS_DIR.is_dir():
        print(f"No corpora at {CORPUS_DIR}", file=sys.stderr)
        return
    print(
        f"{'corpus':22} {'queries':>7} {'variant':>32} {'nDCG@10':>8} {'Recall@10':>10} "
        f"{'half A':>11} {'half B':>11} {'threads':>8} {'chatter':>8}"
    )
    for label_set in load_labels():
        corpus = label_set["corpus"]
        if corpora and corpus.split(".")[0] not in corpora and corpus not in corpora:
            continue
        results = evaluate(label_set, chatter)
        for name, (
            ndcg,
            recall,
            ndcg_a,
            recall_a,
            ndcg_b,
            recall_b,
            shown,
            noise,
        ) in results.items():
            print(
                f"{corpus.split('.')[0][:22]:22} {len(label_set['queries']):>7} {name:>32} "
                f"{ndcg:>8.3f} {recall:>10.3f} {ndcg_a:>5.3f}/{recall_a:.3f} "
                f"{ndcg_b:>5.3f}/{recall_b:.3f} {shown:>8.1f} {noise:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus names (default: every labelled one)")
    parser.add_argument("--chatter", type=int, default=0, help="long chatter threads to add")
    arguments = parser.parse_args()
    main(arguments.corpora or None, arguments.chatter)
