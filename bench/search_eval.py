"""Relevance evaluation: thread-level nDCG@10 and Recall@10 per labelled corpus and variant.

    python -m bench.search_eval [CORPUS ...] [--variants bm25,decompound]
    (or: make search-eval, flask forum search-eval)

Each corpus of ``/work/shared/corpus`` (next to the project: ``../shared/corpus``) is indexed in a
temporary Whoosh index with the forum's own schema and documents (a thread's title and opening
post, and each reply), once per variant, and queried with the forum's query builder and engine:

- ``decompound``: the production analysis (stemming through lemmas, stop words, Swedish compound
  splitting into dictionary words);
- ``nolemma``: the same without the Swedish lemma step; ``stem``: without compound splitting too;
- ``ngram``: stemming plus 4-6 letter n-gram subfields instead of compound splitting;
- ``nostem``: no stemming or compound handling;
- ``bm25``: the baseline, plain Whoosh BM25F over the stemmed title and body fields (Whoosh's
  own searcher, every query word optional, no compound handling, no coordination bonus).

Hits are collapsed to their thread, as a reader sees them: the first hit of a thread counts, its
later hits are skipped, and the first ten threads are judged. Labels are in
``tests/search/labels_*.json``: per corpus, questions as people ask them and the threads that
answer them, from the data's structure or a reading of the threads, never from the engine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import tempfile
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q

from forum.config import PROJECT_ROOT
from forum.search import engine
from forum.search.documents import text_fields
from forum.search.index import VARIANTS, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query
from forum.search.swedish import Lexicon

CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"
LABELS_DIR = PROJECT_ROOT / "tests" / "search"
K = 10
VARIANTS_RUN = ("bm25", "stem", "nolemma", "decompound")  # the default run
SCHEMA_OF = {"bm25": "stem"}  # the baseline indexes as the "stem" variant does
HITS = 200  # hits read to find the first K threads (replies can take many places)


def load_labels(directory: Path = LABELS_DIR) -> list[dict]:
    """Every label set (one per corpus) of the ``labels_*.json`` files: a file holds one set or
    a list of them."""
    sets = []
    for path in sorted(directory.glob("labels_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sets.extend(data if isinstance(data, list) else [data])
    return sets


def corpus_documents(name: str, *, index_questions: bool = True, corpus_dir: Path = CORPUS_DIR):
    """Index documents shaped like the forum's: a thread (title + opening post) and its replies."""
    with gzip.open(corpus_dir / name, "rt", encoding="utf-8") as handle:
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


def ranked_docs(searcher, schema, query_text: str, variant: str) -> list[int]:
    """Document numbers, best first: the forum's ranking, or Whoosh's for the baseline."""
    if variant == "bm25":
        return baseline_docs(searcher, schema, query_text)
    built = build_query(schema, parse_query(query_text))
    if built.scored is None:
        return []
    return list(engine.search(searcher, built.scored, limit=HITS, mask=built.mask).top)


def baseline_docs(searcher, schema, query_text: str) -> list[int]:
    """Plain Whoosh: each word's stemmed terms OR-ed over the title and body fields, BM25F."""
    terms = []
    for fieldname in ("title_sv", "body_sv", "title_en", "body_en"):
        for token in schema[fieldname].analyzer(query_text, mode="query"):
            terms.append(Q.Term(fieldname, token.text))
    if not terms:
        return []
    return [hit.docnum for hit in searcher.search(Q.Or(terms), limit=HITS)]


def collapse_to_threads(searcher, docnums) -> list[str]:
    """The first K threads of a ranking of posts (a thread's later hits are skipped)."""
    threads: list[str] = []
    for docnum in docnums:
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


def evaluate(label_set: dict, variant: str, corpus_dir: Path = CORPUS_DIR) -> tuple[float, float]:
    """Mean thread-level nDCG@10 and Recall@10 of one label set under one variant."""
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        docs = corpus_documents(
            label_set["corpus"],
            index_questions=label_set.get("index_questions", True),
            corpus_dir=corpus_dir,
        )
        ix = build_index(Path(tmp), SCHEMA_OF.get(variant, variant), docs)
        ndcgs, recalls = [], []
        with ix.searcher() as searcher:
            for item in label_set["queries"]:
                docnums = ranked_docs(searcher, ix.schema, item["q"], variant)
                ranking = collapse_to_threads(searcher, docnums)
                relevant = set(item["relevant"])
                ndcgs.append(ndcg_at_k(ranking, relevant))
                recalls.append(recall_at_k(ranking, relevant))
        ix.close()
    return sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls)


def main(
    corpora: list[str] | None = None,
    variants: tuple[str, ...] = VARIANTS_RUN,
    *,
    labels_dir: Path = LABELS_DIR,
    corpus_dir: Path = CORPUS_DIR,
) -> list[tuple]:
    """Print and return (corpus, queries, variant, nDCG@10, Recall@10) rows."""
    if not corpus_dir.is_dir():
        print(f"No corpora at {corpus_dir}", file=sys.stderr)
        return []
    unknown = set(variants) - set(VARIANTS) - set(SCHEMA_OF)
    if unknown:
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))}")
    rows = []
    print(f"{'corpus':38} {'queries':>7} {'variant':>11} {'nDCG@10':>8} {'Recall@10':>10}")
    for label_set in load_labels(labels_dir):
        if (
            corpora
            and label_set["corpus"].split(".")[0] not in corpora
            and label_set["corpus"] not in corpora
        ):
            continue
        for variant in variants:
            ndcg, recall = evaluate(label_set, variant, corpus_dir)
            rows.append((label_set["corpus"], len(label_set["queries"]), variant, ndcg, recall))
            print(
                f"{label_set['corpus']:38} {len(label_set['queries']):>7} {variant:>11} "
                f"{ndcg:>8.3f} {recall:>10.3f}",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus names (default: every labelled one)")
    parser.add_argument("--variants", default=",".join(VARIANTS_RUN))
    arguments = parser.parse_args()
    # outside the app: the word list is chosen by a child process and kept between runs
    Lexicon.directory = Path(tempfile.gettempdir()) / "forum-search-eval-cache"
    main(arguments.corpora or None, tuple(arguments.variants.split(",")))
