"""The relevance evaluation (bench/search_eval.py): thread-level metrics, the plain BM25
baseline, a run on a tiny labelled set, and the labelled sets themselves."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from bench import search_eval
from forum.config import PROJECT_ROOT

SLICES = PROJECT_ROOT / "tests" / "data" / "corpus"


def test_ndcg_and_recall_at_ten():
    assert search_eval.ndcg_at_k(["a", "b"], {"a"}) == 1.0
    assert search_eval.ndcg_at_k(["b", "a"], {"a"}) == pytest.approx(1 / 1.584962500721156)
    assert search_eval.ndcg_at_k(["b"] * 10 + ["a"], {"a"}) == 0.0
    assert search_eval.recall_at_k(["a", "c"], {"a", "b"}) == 0.5


def _opening_posts(name: str) -> list[dict]:
    with gzip.open(SLICES / name, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return [r for r in records if r["parent_id"] is None and r.get("title")]


@pytest.fixture
def tiny_labels(tmp_path):
    """Each of the first threads of the Stack Exchange slice, asked for by its own title."""
    openings = _opening_posts("se_sustainability_en.jsonl.gz")[:6]
    labels = {
        "corpus": "se_sustainability_en.jsonl.gz",
        "queries": [{"q": r["title"], "relevant": [r["thread_id"]]} for r in openings],
    }
    (tmp_path / "labels_tiny.json").write_text(json.dumps(labels), encoding="utf-8")
    return tmp_path


def test_the_harness_runs_on_a_tiny_labelled_set(tiny_labels, capsys):
    rows = search_eval.main(
        variants=("bm25", "decompound"), labels_dir=tiny_labels, corpus_dir=SLICES
    )
    assert [(corpus, queries, variant) for corpus, queries, variant, _, _ in rows] == [
        ("se_sustainability_en.jsonl.gz", 6, "bm25"),
        ("se_sustainability_en.jsonl.gz", 6, "decompound"),
    ]
    for *_, ndcg, recall in rows:
        assert recall == 1.0  # a thread's own title finds it among the first ten threads
        assert 0.5 < ndcg <= 1.0
    assert "decompound" in capsys.readouterr().out


def test_hits_are_collapsed_to_their_thread(tiny_labels):
    """A thread with many matching replies takes one place among the ten."""
    from whoosh import index as whoosh_index

    label_set = search_eval.load_labels(tiny_labels)[0]
    docs = list(search_eval.corpus_documents(label_set["corpus"], corpus_dir=SLICES))
    posts_per_thread = Counter(d["key"].split("|")[0] for d in docs)
    assert max(posts_per_thread.values()) > 1
    ix = search_eval.build_index(tiny_labels, "decompound", iter(docs))
    try:
        with ix.searcher() as searcher:
            docnums = list(range(searcher.doc_count_all()))
            threads = search_eval.collapse_to_threads(searcher, docnums)
            assert len(threads) == len(set(threads)) == min(10, len(posts_per_thread))
    finally:
        ix.close()
    assert whoosh_index.exists_in(str(tiny_labels))


def test_an_unknown_variant_is_refused(tiny_labels):
    with pytest.raises(SystemExit):
        search_eval.main(variants=("magic",), labels_dir=tiny_labels, corpus_dir=SLICES)


def test_the_labelled_sets_are_large_enough_and_name_real_threads():
    sets = search_eval.load_labels()
    per_language = Counter()
    for label_set in sets:
        per_language[label_set["corpus"].split(".")[0].rsplit("_", 1)[1]] += len(
            label_set["queries"]
        )
    assert per_language["sv"] >= 60 and per_language["en"] >= 60
    assert len({label_set["corpus"] for label_set in sets}) == 4
    if not search_eval.CORPUS_DIR.is_dir():
        pytest.skip("the shared corpora are not next to this checkout")
    for label_set in sets:
        with gzip.open(search_eval.CORPUS_DIR / label_set["corpus"], "rt") as handle:
            threads = {json.loads(line)["thread_id"] for line in handle}
        for item in label_set["queries"]:
            assert item["q"].strip() and item["relevant"]
            assert set(item["relevant"]) <= threads, item["q"]
