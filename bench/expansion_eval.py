"""Query expansion (feedback and term association, bench/expansion.py) on the labelled corpora.

    python -m bench.expansion_eval [corpus ...] [--grid] [--reference]

Each corpus is indexed as the forum indexes it (bench/thread_eval.py: documents with their thread)
and every labelled question is searched as the search page does (one entry per thread), without
expansion and with it. Parameters are chosen on one half of each corpus's questions (the even
ones) and reported on the other half too, so a setting that only fits our labels shows up as a
gap between the halves. ``--grid`` tries every setting of ``GRID`` and ends with the one setting
per method that did best on the tuning halves of all corpora together; without it, only the
default setting. ``--reference``: association with every thread's words as candidates (built
here from the corpus; the forum has no such table). Also the in-process time of a search with
and without the second pass (median, p95).
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import tempfile
import time
from itertools import product
from pathlib import Path

import numpy as np

from forum.search import engine, grouping
from forum.search.parsing import parse_query
from forum.search.query import build_query
from forum.search.snippets import query_terms
from forum.search.swedish import Lexicon

from . import expansion
from .search_eval import CORPUS_DIR, K, build_index, load_labels, ndcg_at_k, recall_at_k
from .thread_eval import threaded_documents

GRID = {
    "method": ("association", "feedback"),
    "threads": (5, 10),
    "terms": (4, 8),
    "weight": (0.5, 1.0, 2.0),
    "guard": (True, False),
}


def corpus_texts(name: str) -> dict[str, tuple[str, str]]:
    """key -> (text, language) of every document, as a reader sees it: title and body."""
    out = {}
    with gzip.open(CORPUS_DIR / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            kind = "thread" if r.get("parent_id") is None else "post"
            title = (r.get("title") or "") if kind == "thread" else ""
            key = f"{r['thread_id']}|{kind}:{r['post_id']}"
            out[key] = (f"{title}\n{r.get('body') or ''}", r.get("lang") or "sv")
    return out


class Texts(dict):
    cooccurrence = None


def search(searcher, texts, query_text: str, setting: dict | None) -> list[str]:
    """The first K threads of one question, with ``setting`` (None: no expansion)."""
    parsed = parse_query(query_text)
    built = build_query(searcher.schema, parse_query(query_text))
    if built.scored is None:
        return []
    found = engine.search(searcher, built.scored, limit=K, mask=built.mask, grouped=True)
    if setting is not None and expansion.applies(parsed):
        found.top_scores = top_scores(searcher, built.scored, found.top)
        found = second_pass(searcher, texts, built, found, setting) or found
    threads = []
    for docnum in found.top:
        thread = searcher.stored_fields(docnum)["key"].split("|")[0]
        if thread not in threads:
            threads.append(thread)
    return threads[:K]


class Cooccurrence:
    """Term association within threads (the alternative to feedback, measured here only): the
    terms that occur in a query term's threads far more often than in the forum at large
    (Elasticsearch's "significant terms", JLH score)."""

    def __init__(self, searcher, texts):
        self.threads_of: dict[tuple[str, str], set[str]] = {}
        for key, (text, lang) in texts.items():
            thread = key.split("|")[0]
            analyzer = searcher.schema[f"body_{lang}"].analyzer
            for term in analyzer.positions(text[:4000]):
                if not term.startswith("+"):
                    self.threads_of.setdefault((lang, term), set()).add(thread)
        self.total = len({key.split("|")[0] for key in texts})

    def terms(self, known: dict[str, set[str]], limit: int) -> list:
        found = {}
        for lang, terms in known.items():
            for term in terms:
                threads = self.threads_of.get((lang, term), set())
                if not 2 <= len(threads) <= 0.1 * self.total:
                    continue
                counts: dict[tuple[str, str], int] = {}
                for other, with_other in self.threads_of.items():
                    if (
                        other[0] == lang
                        and other[1] not in terms
                        and len(with_other) < 0.1 * self.total
                    ):
                        shared = len(threads & with_other) if len(with_other) > 1 else 0
                        if shared >= 2:
                            counts[other] = shared
                for other, shared in counts.items():
                    foreground = shared / len(threads)
                    background = len(self.threads_of[other]) / self.total
                    score = (foreground - background) * foreground / background
                    found[other] = max(found.get(other, 0.0), score)
        best = sorted(found.items(), key=lambda item: -item[1])[:limit]
        mass = sum(score for _, score in best) or 1.0
        return [expansion.Expansion(lang, term, score / mass) for (lang, term), score in best]


def top_scores(searcher, scored, top: list[int]) -> list[float]:
    """The thread scores of the first pass's entries (a thread scores as its best document)."""
    view = engine.view_of(searcher)
    found = view.evaluate(scored)
    reply = view.is_reply()
    scores = []
    for docnum in top:
        at = int(np.searchsorted(found.ids, docnum))
        score = float(found.scores[at])
        scores.append(score * grouping.REPLY_WEIGHT if reply[docnum] else score)
    return scores


def second_pass(searcher, texts, built, found, setting):
    """The expanded search of one question, or None when it is not expanded."""
    known = {lang: query_terms(built.scored, searcher.reader(), lang) for lang in ("sv", "en")}
    if setting["method"] == "vocabulary":  # the reference: candidates from every thread
        whole = {lang: {t for t in terms if not t.startswith("+")} for lang, terms in known.items()}
        terms = texts.cooccurrence.terms(whole, setting["terms"])
    else:
        if setting["guard"] and expansion.precise(found.top_scores[: setting["threads"]]):
            return None
        top = list(zip(found.top, found.top_scores, strict=False))[: setting["threads"]]
        documents = [(*texts[searcher.stored_fields(d)["key"]], score) for d, score in top]
        if setting["method"] == "feedback":
            terms = expansion.feedback_terms(searcher, documents, known, limit=setting["terms"])
        else:
            documents = [(text, lang) for text, lang, _ in documents]
            terms = expansion.associated_terms(searcher, documents, known, limit=setting["terms"])
    if not terms:
        return None
    scored = expansion.expanded_query(built.scored, terms, setting["weight"])
    return engine.search(searcher, scored, limit=K, mask=built.mask, grouped=True)


def scores(searcher, texts, queries, setting) -> list[tuple[float, float]]:
    """Mean nDCG@10 and Recall@10 of the even questions (tuning), the odd ones, and all."""
    per_query = []
    for item in queries:
        ranking = search(searcher, texts, item["q"], setting)
        relevant = set(item["relevant"])
        per_query.append((ndcg_at_k(ranking, relevant), recall_at_k(ranking, relevant)))
    out = []
    for part in (per_query[0::2], per_query[1::2], per_query):
        out.append(tuple(sum(values) / len(part) for values in zip(*part, strict=True)))
    return out


def timings(searcher, texts, queries, setting, rounds: int = 3) -> tuple[float, float]:
    spent = []
    for _ in range(rounds):
        for item in queries:
            started = time.perf_counter()
            search(searcher, texts, item["q"], setting)
            spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(0.95 * (len(spent) - 1))]


def default_setting() -> dict:
    """The association setting chosen on the tuning halves (``bench/expansion.py``)."""
    return {
        "method": "association",
        "threads": expansion.FEEDBACK_THREADS,
        "terms": expansion.EXPANSION_TERMS,
        "weight": expansion.EXPANSION_WEIGHT,
        "guard": True,
    }


def main(corpora: list[str] | None = None, grid: bool = False) -> None:
    settings = [dict(zip(GRID, values, strict=True)) for values in product(*GRID.values())]
    if not grid:
        settings = [default_setting()]
    results: dict[str, list] = {}  # corpus -> [(setting, figures)], no expansion first
    for label_set in load_labels():
        corpus = label_set["corpus"]
        if corpora and corpus.split(".")[0] not in corpora and corpus not in corpora:
            continue
        queries = label_set["queries"]
        tune, check = queries[0::2], queries[1::2]  # (for the counts printed)
        texts = corpus_texts(corpus)
        with tempfile.TemporaryDirectory(prefix="expansion-eval-") as tmp:
            docs = threaded_documents(
                corpus, index_questions=label_set.get("index_questions", True)
            )
            ix = build_index(Path(tmp), "decompound", docs)
            with ix.searcher() as searcher:
                if "--reference" in sys.argv:
                    texts = Texts(texts)
                    texts.cooccurrence = Cooccurrence(searcher, texts)
                    settings = [{**s, "method": "vocabulary"} for s in settings if s["guard"]]
                print(f"{corpus} ({len(queries)} questions: tune {len(tune)}, check {len(check)})")
                rows = []
                for setting in [None, *settings]:
                    row = scores(searcher, texts, queries, setting)
                    rows.append((setting, row))
                results[corpus] = list(rows)
                rows.sort(key=lambda r: -r[1][0][0] if r[0] is not None else -9)
                for setting, row in rows[: 1 + (12 if grid else 1)]:
                    name = (
                        "no expansion" if setting is None else " ".join(map(str, setting.values()))
                    )
                    figures = "  ".join(f"{n:.3f} / {r:.3f}" for n, r in row)
                    print(f"  {name:24} tune, check, all (nDCG@10 / Recall@10): {figures}")
                for setting in (None, default_setting()):
                    median, p95 = timings(searcher, texts, queries, setting)
                    name = "without" if setting is None else "with"
                    print(f"  {name} expansion: median {median:.1f} ms, p95 {p95:.1f} ms")
            ix.close()
    if grid and results:
        chosen(results)


def chosen(results: dict[str, list]) -> None:
    """The one setting of each method with the best mean tuning-half nDCG over the corpora (the
    forum has one setting for every forum), and its figures on the held-out half and on all."""
    names = {json.dumps(s, sort_keys=True) for rows in results.values() for s, _ in rows if s}
    by_method: dict[str, tuple[float, str]] = {}
    for name in names:
        setting = json.loads(name)
        tune = statistics.mean(
            row[0][0]
            for rows in results.values()
            for s, row in rows
            if s and json.dumps(s, sort_keys=True) == name
        )
        if tune > by_method.get(setting["method"], (-1.0, ""))[0]:
            by_method[setting["method"]] = (tune, name)
    for method, (tune, name) in sorted(by_method.items()):
        print(f"chosen on the tuning halves ({method}): {name}, mean tuning nDCG@10 {tune:.3f}")
        for corpus, rows in results.items():
            base = rows[0][1]
            row = next(r for s, r in rows if s and json.dumps(s, sort_keys=True) == name)
            print(
                f"  {corpus:45} "
                + "  ".join(
                    f"{b[0]:.3f}->{r[0]:.3f} / {b[1]:.3f}->{r[1]:.3f}"
                    for b, r in zip(base, row, strict=True)
                )
            )


if __name__ == "__main__":
    Lexicon.directory = Path(tempfile.gettempdir()) / "forum-search-eval-cache"
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(arguments or None, grid="--grid" in sys.argv)
