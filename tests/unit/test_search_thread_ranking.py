"""Thread-level ranking (forum/search/engine.py, grouping.py): one entry per thread, scored by its
best document plus a decaying share of the next ones (replies weighed lower), with a coordination
bonus for the question's words the thread matched in any of them; the coordination bonus weighed by
each word's rarity."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q

from forum.search import engine, grouping
from forum.search.documents import text_fields
from forum.search.index import CODEC, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query, word_query

FILLER = [
    "We went to get some bread and could not get rid of the smell of the oven.",
    "How do I get my bike fixed before the winter comes?",
    "The council wants to get rid of parking on our street.",
    "Where can I get cheap seeds for the balcony boxes?",
    "They finally got rid of the old boiler and get heat from the district now.",
    "I get the bus to work; the trains are too full.",
]


def _index(path, documents: list[dict]):
    ix = whoosh_index.create_in(str(path), build_schema())
    with ix.writer(codec=CODEC) as writer:
        for doc in documents:
            writer.add_document(**doc)
    return ix


def _thread(number: int, title: str, opening: str, replies: list[str]) -> list[dict]:
    docs = [
        {
            "key": f"thread:{number}",
            "kind": "thread",
            "group": f"thread:{number}",
            "thread": number,
            **text_fields("en", title, opening),
        }
    ]
    for n, body in enumerate(replies):
        docs.append(
            {
                "key": f"post:{number * 100 + n}",
                "kind": "post",
                "group": f"thread:{number}",
                "thread": number,
                **text_fields("en", "", body, spell=False),
            }
        )
    return docs


def _threads_ranked(ix, q: str, *, grouped: bool) -> list[int]:
    """Thread numbers in rank order (without grouping: each thread at its first document)."""
    built = build_query(ix.schema, parse_query(q))
    with ix.searcher() as searcher:
        found = engine.search(searcher, built.scored, limit=50, grouped=grouped)
        numbers = [int(searcher.stored_fields(d)["key"].split(":")[1]) for d in found.top]
    threads = [n // 100 if n >= 100 else n for n in numbers]
    return list(dict.fromkeys(threads)) if not grouped else threads


@pytest.fixture
def old_ranking(monkeypatch):
    def use():
        monkeypatch.setattr(engine, "RARITY_WEIGHTED", False)
        monkeypatch.setattr(engine, "FIELD_BM25", {})
        monkeypatch.setattr(grouping, "REPLY_WEIGHT", 1.0)
        monkeypatch.setattr(grouping, "THREAD_SHARE", 0.0)

    return use


def crowded_documents() -> list[dict]:
    """Thread 1 is about the question; thread 2's short replies hold every word of it."""
    docs = _thread(
        1,
        "Composting questions",
        "We compost our kitchen scraps in a bokashi bucket under the sink of our small "
        "apartment; it works well through the winter, the smell stays in the bucket and the "
        "soil goes to the courtyard beds in spring.",
        ["Bokashi works for us too."],
    )
    docs += _thread(
        2,
        "Balcony gardening",
        "What are you growing on your balcony this year?",
        [
            "Compost kitchen scraps apartment!",
            "Kitchen scraps compost, small apartment here.",
            "Apartment compost of kitchen scraps",
            "Tomatoes.",
        ],
    )
    for n, text in enumerate(FILLER, start=3):
        docs += _thread(n, f"Question {n}", text, [])
    return docs


@pytest.fixture
def crowded(tmp_path):
    return _index(tmp_path, crowded_documents())


def test_replies_holding_every_word_no_longer_crowd_out_the_thread(crowded, old_ranking):
    q = "compost kitchen scraps in a small apartment"
    new = _threads_ranked(crowded, q, grouped=True)
    assert new[:2] == [1, 2]
    assert len(new) == len(set(new))  # each thread once
    old_ranking()
    assert _threads_ranked(crowded, q, grouped=False)[0] == 2


def test_a_thread_lists_once_with_its_other_matches_counted(crowded):
    built = build_query(crowded.schema, parse_query("compost kitchen scraps apartment"))
    with crowded.searcher() as searcher:
        found = engine.search(searcher, built.scored, limit=10, grouped=True)
        keys = [searcher.stored_fields(d)["key"] for d in found.top]
        assert found.entries == 2 == len(keys)
        assert keys[0] == "thread:1" and keys[1].startswith("post:2")
        assert found.more == {found.top[0]: 0, found.top[1]: 2}
        assert len(found.matched) == 4
        facets = engine.view_of(searcher).facet_counts(found.matched, found.groups)
        assert facets["kind"] == {"thread": 2} and facets["lang"] == {"en": 2}
        every = engine.search(searcher, built.scored, limit=10)
        assert every.entries == 4 and every.more == {}


def test_grouped_paging_continues_without_repeating_a_thread(tmp_path):
    docs = []
    for n in range(1, 31):
        docs += _thread(
            n, f"Heat pump question {n}", "Heat pump " * (n % 5 + 1), ["heat"] * (n % 3)
        )
    ix = _index(tmp_path, docs)
    built = build_query(ix.schema, parse_query("heat pump"))
    with ix.searcher() as searcher:
        first = engine.search(searcher, built.scored, limit=10, grouped=True).top
        two = engine.search(searcher, built.scored, limit=20, grouped=True).top
        assert two[:10] == first
        threads = {int(searcher.stored_fields(d)["key"].split(":")[1]) % 100 for d in two}
        assert len(two) == 20 and len(threads) == 20


def test_thread_score_is_the_best_document_plus_a_share_of_the_next(monkeypatch):
    monkeypatch.setattr(grouping, "THREAD_SHARE", 0.5)
    ids = np.array([1, 2, 3, 4, 5, 6])
    scores = np.array([1.0, 4.0, 2.0, 3.0, 8.0, 1.0])
    threads = np.array([7, 7, 7, 9, 0, 0])  # 5 and 6 are documents of no thread
    groups = grouping.group_by_thread(ids, scores, threads, np.zeros(6, dtype=np.int64))
    by_best = dict(zip(groups.best.tolist(), groups.scores.tolist()))
    assert by_best == {2: 4.0 + 0.5 * 2.0 + 0.25 * 1.0, 4: 3.0, 5: 8.0, 6: 1.0}
    assert dict(zip(groups.best.tolist(), groups.sizes.tolist())) == {2: 3, 4: 1, 5: 1, 6: 1}


def test_a_rare_word_outranks_two_common_ones(tmp_path, old_ranking):
    docs = []
    docs += _thread(1, "How do I get rid of the old sofa?", "Any tips to get rid of a sofa?", [])
    docs += _thread(2, "Slugs everywhere", "The slugs ate all of the lettuce in the beds.", [])
    for n, text in enumerate(FILLER * 3, start=3):  # the common words in some titles too
        docs += _thread(n, text if n < 3 + len(FILLER) else f"Note {n}", text, [])
    ix = _index(tmp_path, docs)
    q = "get rid of slugs"
    assert _threads_ranked(ix, q, grouped=True)[0] == 2
    old_ranking()
    assert _threads_ranked(ix, q, grouped=True)[0] == 1


def test_thread_score_with_words_counts_what_any_counted_document_matched(monkeypatch):
    monkeypatch.setattr(grouping, "THREAD_SHARE", 0.5)
    monkeypatch.setattr(grouping, "THREAD_DEPTH", 2)
    ids = np.array([1, 2, 3, 4])
    raw = np.array([2.0, 4.0, 1.0, 3.0])
    bits = np.array([0b01, 0b10, 0b100, 0b11], dtype=np.uint64)  # 3 is the thread's third
    words = grouping.Words(raw, bits, np.array([0.5, 0.3, 0.2]), coordination=0.5)
    scores = raw * words.factor(bits)
    threads = np.array([7, 7, 7, 0])
    groups = grouping.group_by_thread(ids, scores, threads, np.zeros(4, dtype=np.int64), words)
    by_best = dict(zip(groups.best.tolist(), groups.scores.tolist()))
    # thread 7: documents 2 and 1 counted (depth 2), words 0 and 1 between them, not word 2
    assert by_best[2] == pytest.approx((4.0 + 0.5 * 2.0) * (1 + 0.5 * (0.5 + 0.3)))
    assert by_best[4] == pytest.approx(3.0 * (1 + 0.5 * 0.8))
    assert sorted(groups.best.tolist()) == [2, 4]  # each group's best document leads it


def opening_and_reply_documents() -> list[dict]:
    """Thread 1 asks about a heat pump and its replies discuss the noise; thread 2 asks about
    something else and mentions the noise in passing."""
    docs = _thread(
        1,
        "Heat pump for an old house",
        "We are thinking about a heat pump for our house from 1920.",
        ["What about the noise?", "The noise is low, a heat pump hums."],
    )
    docs += _thread(
        2,
        "Heat pump or district heating for the attic flat",
        "We renovate the attic; a friend says the noise could bother the neighbours.",
        [],
    )
    for n, text in enumerate(FILLER * 2, start=3):
        docs += _thread(n, f"Note {n}", text, [])
    return docs


def test_a_thread_answering_the_question_across_its_posts_ranks_first(tmp_path, monkeypatch):
    ix = _index(tmp_path, opening_and_reply_documents())
    q = "heat pump noise"
    assert _threads_ranked(ix, q, grouped=True)[:2] == [1, 2]
    monkeypatch.setattr(grouping, "THREAD_WORDS", False)  # each document's own words only
    monkeypatch.setattr(grouping, "THREAD_SHARE", 0.0)
    assert _threads_ranked(ix, q, grouped=True)[:2] == [2, 1]


def test_a_long_chatter_thread_cannot_outrank_the_thread_about_the_question(tmp_path):
    chatter = [
        f"{word} came up again today, reply number {n}."
        for n, word in enumerate(["Compost", "Apartment", "Balcony", "Winter"] * 15)
    ]
    docs = _thread(1, "General chat", "Talk about anything here.", chatter)
    docs += _thread(
        2,
        "Compost in a small apartment?",
        "Can I compost in a small apartment without a balcony?",
        ["A bokashi bucket works, even in winter."],
    )
    for n, text in enumerate(FILLER, start=3):
        docs += _thread(n, f"Note {n}", text, [])
    ix = _index(tmp_path, docs)
    q = "compost in an apartment with a balcony in winter"
    ranked = _threads_ranked(ix, q, grouped=True)
    assert ranked[:2] == [2, 1]
    assert len(ranked) == len(set(ranked))


def test_filters_and_exclusions_keep_the_thread_score_consistent(crowded):
    built = build_query(crowded.schema, parse_query("compost kitchen scraps apartment -tomatoes"))
    restrict = build_query(crowded.schema, parse_query("apartment")).scored
    with crowded.searcher() as searcher:
        found = engine.search(
            searcher, built.scored, limit=10, mask=built.mask, restrict=restrict, grouped=True
        )
        keys = [searcher.stored_fields(d)["key"] for d in found.top]
        whole = engine.search(searcher, built.scored, limit=10, mask=built.mask, grouped=True)
        assert [searcher.stored_fields(d)["key"] for d in whole.top] == keys
    assert keys[0] == "thread:1" and found.entries == 2


@pytest.mark.parametrize("with_words", [False, True])
def test_scoring_only_the_threads_that_can_be_listed_lists_the_same(with_words):
    rng = np.random.default_rng(5)
    size = 5000
    ids = np.arange(size)
    threads = np.where(rng.random(size) < 0.8, rng.integers(1, 600, size), 0)
    raw = rng.exponential(2.0, size)
    bits = rng.integers(0, 16, size).astype(np.uint64)
    words = grouping.Words(raw, bits, np.array([0.4, 0.3, 0.2, 0.1]), 0.5) if with_words else None
    scores = raw * words.factor(bits) if with_words else raw
    created = np.zeros(size, dtype=np.int64)
    every = grouping.group_by_thread(ids, scores, threads, created, words)
    for limit in (1, 10, 20, 100):
        some = grouping.group_by_thread(ids, scores, threads, created, words, limit=limit)
        first = engine._best_first(every.best, every.scores, limit)
        assert some.best[engine._best_first(some.best, some.scores, limit)].tolist() == (
            every.best[first].tolist()
        )
        assert np.all(some.scores <= every.scores + 1e-9)  # the others keep a lower score


def test_a_question_of_more_words_than_tracked_still_ranks_threads(tmp_path):
    # the page takes at most 24 words; a query built otherwise may hold more parts than bits
    words = [f"zq{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(60)]
    docs = _thread(1, "Every word", " ".join(words), [])
    docs += _thread(2, "Some words", " ".join(words[:20]), [" ".join(words[20:40])])
    docs += _thread(3, "Other words", " ".join(words[40:]), [])
    for n, text in enumerate(FILLER, start=4):
        docs += _thread(n, f"Note {n}", text, [])
    ix = _index(tmp_path, docs)
    question = Q.Or([word_query(ix.schema, word) for word in words], scale=2.0)
    assert len(question.subqueries) > grouping.WORD_BITS
    with ix.searcher() as searcher:
        found = engine.search(searcher, question, limit=10, grouped=True)
        keys = [searcher.stored_fields(d)["key"] for d in found.top]
    assert found.entries == 3 and keys[:2] == ["thread:1", "thread:2"]


def test_grouped_facets_count_threads_across_segments(tmp_path):
    """A thread's documents in different segments (its reply written later) still make one entry,
    and a goal counts each thread with a matching document once."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    goals = {1: "7,11", 2: "7", 3: "3"}
    for part in ("threads", "replies"):
        writer = ix.writer(codec=CODEC)
        for number, sdg in goals.items():
            thread, reply = _thread(number, f"Heat pump {number}", "Heat pump", ["heat pump"])
            writer.add_document(**(thread if part == "threads" else reply), sdg=sdg)
        writer.commit(merge=False)
    built = build_query(ix.schema, parse_query("heat pump"))
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
        view = engine.view_of(searcher)
        assert view.threads().tolist() == [1, 2, 3, 1, 2, 3]
        assert view.threads().dtype == np.int32 and view.column("thread").dtype == np.int64
        found = engine.search(searcher, built.scored, limit=10, grouped=True)
        assert found.entries == 3 and len(found.matched) == 6
        facets = view.facet_counts(found.matched, found.groups)
        assert facets["sdg"] == {"7": 2, "11": 1, "3": 1}
        assert facets["kind"] == {"thread": 3}
        ungrouped = view.facet_counts(found.matched)
        assert ungrouped["sdg"] == {"7": 4, "11": 2, "3": 2}
