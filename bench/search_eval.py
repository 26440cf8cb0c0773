"""Relevance evaluation: nDCG@10 and Recall@10 per labelled corpus and analysis variant.

    python -m bench.search_eval            (or: flask forum search-eval)

Each corpus of ``/work/shared/corpus`` (next to the project: ``../shared/corpus``) is indexed in a
temporary Whoosh index with the forum's own schema, documents and query builder, once per variant:

- ``decompound``: the production analysis (stemming, stop words, Swedish compound splitting);
- ``ngram``: stemming plus 4-6 letter n-gram subfields instead of compound splitting;
- ``nostem``: the baseline without stemming or compound handling.

Labels are in ``tests/search/labels_*.json`` (see each file's ``about``): derived from the data's
structure (a SweFAQ question -> the thread of its answer; a hand-written paraphrase of a Stack
Exchange title -> its thread), never from the engine's output.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
import tempfile
from pathlib import Path

from whoosh import index as whoosh_index

from forum.config import PROJECT_ROOT
from forum.search import engine
from forum.search.documents import text_fields
from forum.search.index import VARIANTS, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query

CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"
LABELS_DIR = PROJECT_ROOT / "tests" / "search"
K = 10


def load_labels() -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(LABELS_DIR.glob("labels_*.json"))
    ]


def corpus_documents(name: str, *, index_questions: bool = True):
    """Index documents shaped like the forum's: a thread (title + opening post) and its replies."""
    with gzip.open(CORPUS_DIR / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            lang = record.get("lang") or "sv"
            is_opening = record.get("parent_id") is None
            if is_opening and not index_questions:
                continue
            title = (record.get("title") or "") if is_opening else ""
            # the key keeps the source thread: "<thread id>|thread:<post id>"
            kind = "thread" if is_opening else "post"
            yield {
                "key": f"{record['thread_id']}|{kind}:{record['post_id']}",
                "kind": kind,
                **text_fields(lang, title, record.get("body") or ""),
            }


def build_index(directory: Path, variant: str, docs) -> object:
    ix = whoosh_index.create_in(str(directory), build_schema(variant))
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def ranked_threads(searcher, schema, query_text: str) -> list[str]:
    built = build_query(schema, parse_query(query_text))
    if built.scored is None:
        return []
    threads: list[str] = []
    for docnum in engine.search(searcher, built.scored, limit=K * 5, mask=built.mask).top:
        thread = searcher.stored_fields(docnum)["key"].split("|")[0]
        if thread not in threads:
            threads.append(thread)
        if len(threads) == K:
            break
    return threads


def ndcg_at_k(ranking: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranking[:K]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), K)))
    return dcg / ideal if ideal else 0.0


def recall_at_k(ranking: list[str], relevant: set[str]) -> float:
    return len(relevant & set(ranking[:K])) / len(relevant) if relevant else 0.0


def evaluate(label_set: dict, variant: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        docs = corpus_documents(
            label_set["corpus"], index_questions=label_set.get("index_questions", True)
        )
        ix = build_index(Path(tmp), variant, docs)
        ndcgs, recalls = [], []
        with ix.searcher() as searcher:
            for item in label_set["queries"]:
                ranking = ranked_threads(searcher, ix.schema, item["q"])
                relevant = set(item["relevant"])
                ndcgs.append(ndcg_at_k(ranking, relevant))
                recalls.append(recall_at_k(ranking, relevant))
        ix.close()
    return sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls)


def main(corpora: list[str] | None = None) -> list[tuple]:
    if not CORPUS_DIR.is_dir():
        print(f"No corpora at {CORPUS_DIR}", file=sys.stderr)
        return []
    rows = []
    print(f"{'corpus':34} {'queries':>7} {'variant':>11} {'nDCG@10':>8} {'Recall@10':>10}")
    for label_set in load_labels():
        if (
            corpora
            and label_set["corpus"].split(".")[0] not in corpora
            and label_set["corpus"] not in corpora
        ):
            continue
        for variant in VARIANTS:
            ndcg, recall = evaluate(label_set, variant)
            rows.append((label_set["corpus"], len(label_set["queries"]), variant, ndcg, recall))
            print(
                f"{label_set['corpus']:34} {len(label_set['queries']):>7} {variant:>11} "
                f"{ndcg:>8.3f} {recall:>10.3f}",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    main(sys.argv[1:] or None)
