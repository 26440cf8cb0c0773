"""Why a labelled question misses: per question, what each word becomes and what each relevant
thread (and the threads above it) scored for each word.

    python -m bench.thread_diagnose CORPUS [--all] [--above 3]

For every question of the corpus's label set whose relevant threads are not all in the first ten
(``--all``: every question), prints the question's words with their index terms (Swedish and
English body fields; ``-`` a stop word), then for each relevant thread its rank and, per word, the
score its sub-query gives the thread's best document (0: no match) and the coordination factor;
the same for the threads ranked above it (``--above``). A word a relevant document does not match
is followed by the document's words that share its first four letters, with their terms: a
lemma, stem or compound part that does not meet the query's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from forum.search import engine
from forum.search.analysis import normalise_word, words_of
from forum.search.parsing import parse_query
from forum.search.query import build_query, word_query

from .search_eval import CORPUS_DIR, K, build_index, load_labels
from .thread_eval import threaded_documents

RANKS = 100


def thread_texts(name: str, index_questions: bool) -> dict[str, str]:
    """Thread id -> the indexed text of its title and posts (where a near-miss word is looked
    for)."""
    texts: dict[str, list[str]] = defaultdict(list)
    with gzip.open(CORPUS_DIR / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("parent_id") is None and not index_questions:
                continue
            texts[record["thread_id"]].append(f"{record.get('title') or ''} {record['body']}")
    return {thread: " ".join(parts) for thread, parts in texts.items()}


def word_scores(view, schema, words: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each word's sub-query evaluated alone: (document ids, scores)."""
    out = []
    for word in words:
        query = word_query(schema, word)
        found = view.evaluate(query) if query is not None else None
        out.append((found.ids, found.scores) if found is not None else (np.zeros(0), None))
    return out


def score_of(ids: np.ndarray, scores, docnum: int) -> float:
    at = np.searchsorted(ids, docnum)
    return float(scores[at]) if at < len(ids) and ids[at] == docnum else 0.0


def line(best: dict, words: list[str], per_word: list, thread: str, rank) -> str:
    """A thread's rank and the score each word's sub-query gives its best document."""
    docnum = best.get(thread)
    if docnum is None:
        return f"    {thread} not indexed"
    cells = [
        f"{w}:{score_of(ids, s, docnum):.1f}" if s is not None else f"{w}:-"
        for w, (ids, s) in zip(words, per_word)
    ]
    return f"    #{rank or '>' + str(RANKS)} {thread}  " + " ".join(cells)


def describe(searcher, schema, label_set: dict, show_all: bool, above: int) -> None:
    view = engine.view_of(searcher)
    analyzers = {lang: schema[f"body_{lang}"].analyzer for lang in ("sv", "en")}
    texts = thread_texts(label_set["corpus"], label_set.get("index_questions", True))
    documents: dict[str, list[int]] = defaultdict(list)
    for docnum in range(searcher.doc_count_all()):
        documents[searcher.stored_fields(docnum)["key"].split("|")[0]].append(docnum)
    for number, item in enumerate(label_set["queries"]):
        parsed = parse_query(item["q"])
        built = build_query(schema, parsed)
        if built.scored is None:
            continue
        found = engine.search(searcher, built.scored, limit=RANKS, mask=built.mask, grouped=True)
        ranking = [searcher.stored_fields(d)["key"].split("|")[0] for d in found.top]
        ranks = {t: ranking.index(t) + 1 if t in ranking else None for t in item["relevant"]}
        if not show_all and all(r is not None and r <= K for r in ranks.values()):
            continue
        print(f"\nq{number:02d} ({'AB'[number % 2]}) {item['q']}")
        terms = {
            w: "/".join(
                ",".join(analyzers[lang].terms_of_word(normalise_word(w))) or "-"
                for lang in ("sv", "en")
            )
            for w in parsed.words
        }
        print("  words: " + "  ".join(f"{w}={t}" for w, t in terms.items()))
        per_word = word_scores(view, schema, parsed.words)
        best = {t: d for t, d in zip(ranking, found.top)}
        whole = view.evaluate(built.scored)
        for thread in item["relevant"]:
            if thread not in best and documents[thread]:
                scores = [score_of(whole.ids, whole.scores, d) for d in documents[thread]]
                best[thread] = documents[thread][int(np.argmax(scores))]

        for thread, rank in ranks.items():
            print("  relevant" + line(best, parsed.words, per_word, thread, rank)[3:])
            docnum = best.get(thread)
            text_words = {normalise_word(w) for w in words_of(texts.get(thread, ""))}
            for word, (ids, scores) in zip(parsed.words, per_word):
                if scores is None or (docnum is not None and score_of(ids, scores, docnum)):
                    continue
                stem = normalise_word(word)[:4]
                near = sorted(w for w in text_words if w.startswith(stem) and len(stem) == 4)
                if near:
                    shown = ", ".join(
                        f"{w}={','.join(analyzers['sv'].terms_of_word(w))}" for w in near[:6]
                    )
                    print(f"      {word} not matched; the thread has {shown}")
            limit = min((rank or RANKS + 1) - 1, above)
            for position, other in enumerate(ranking[:limit]):
                if other not in item["relevant"]:
                    above_line = line(best, parsed.words, per_word, other, position + 1)
                    print("    above" + above_line[3:])


def main(corpus: str, show_all: bool, above: int) -> None:
    for label_set in load_labels():
        if corpus not in label_set["corpus"]:
            continue
        with tempfile.TemporaryDirectory(prefix="thread-diagnose-") as tmp:
            docs = threaded_documents(
                label_set["corpus"], index_questions=label_set.get("index_questions", True)
            )
            ix = build_index(Path(tmp), "decompound", docs)
            with ix.searcher() as searcher:
                describe(searcher, ix.schema, label_set, show_all, above)
            ix.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a corpus name or the start of one")
    parser.add_argument("--all", action="store_true", help="every question, not only misses")
    parser.add_argument("--above", type=int, default=3, help="threads above a relevant one shown")
    arguments = parser.parse_args()
    main(arguments.corpus, arguments.all, arguments.above)
